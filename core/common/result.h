#pragma once

#include "core/common/error.h"

#include <type_traits>
#include <utility>
#include <variant>

namespace CalStudio {

/**
 * Either a value or an Error, returned by core functions that can fail.
 *
 * No exception crosses a library boundary; callers test the result:
 *
 *     auto store = ProjectStore::open(path);
 *     if (!store)
 *         return store.error();
 *     use(*store);
 */
template<typename T>
class [[nodiscard]] Result {
public:
    Result(const T &value) : m_data(std::in_place_index<0>, value) { }
    Result(T &&value) : m_data(std::in_place_index<0>, std::move(value)) { }
    Result(Error error) : m_data(std::in_place_index<1>, std::move(error)) { }

    [[nodiscard]] bool ok() const { return m_data.index() == 0; }
    explicit operator bool() const { return ok(); }

    T &value() & { return std::get<0>(m_data); }
    const T &value() const & { return std::get<0>(m_data); }
    T &&value() && { return std::get<0>(std::move(m_data)); }
    T *operator->() { return &value(); }
    const T *operator->() const { return &value(); }
    T &operator*() & { return value(); }
    const T &operator*() const & { return value(); }

    template<typename U>
    T valueOr(U &&fallback) const &
    {
        return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
    }

    [[nodiscard]] const Error &error() const & { return std::get<1>(m_data); }
    [[nodiscard]] Error &&error() && { return std::get<1>(std::move(m_data)); }

private:
    std::variant<T, Error> m_data;
};

/// Result of an operation that produces no value.
template<>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)) { }

    static Result success() { return {}; }

    [[nodiscard]] bool ok() const { return m_error.isNull(); }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const Error &error() const { return m_error; }

private:
    Error m_error;
};

using Status = Result<void>;

} // namespace CalStudio
