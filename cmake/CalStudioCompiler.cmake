# Compiler settings shared by every target of the project.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}" CACHE STRING "Compiler launcher" FORCE)
    message(STATUS "Using ccache: ${CCACHE_PROGRAM}")
endif()

# QT_NO_KEYWORDS everywhere: GLib headers pulled in by libvips declare members
# called `signals`, and one convention for the whole tree keeps code portable
# between libraries.
add_compile_definitions(
    QT_NO_KEYWORDS
    QT_NO_CAST_FROM_ASCII
    QT_NO_CAST_TO_ASCII
    QT_NO_URL_CAST_FROM_STRING
    QT_USE_QSTRINGBUILDER
    QT_NO_FOREACH
    QT_STRICT_ITERATORS
)

if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    add_compile_options(-Wall -Wextra -Wpedantic -Wnon-virtual-dtor)
    if(CALSTUDIO_WARNINGS_AS_ERRORS)
        add_compile_options(-Werror)
    endif()
endif()

if(CALSTUDIO_SANITIZE)
    if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
        message(FATAL_ERROR "CALSTUDIO_SANITIZE needs GCC or Clang")
    endif()
    add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    add_link_options(-fsanitize=address,undefined)
    message(STATUS "Building with AddressSanitizer + UndefinedBehaviorSanitizer")
endif()

# Helper: declare a core library. Core libraries must never link Widgets,
# Quick, Qml or WebEngine; tests/layering checks this on the real link
# interfaces generated below.
set_property(GLOBAL PROPERTY CALSTUDIO_CORE_TARGETS "")
function(calstudio_add_core_library name)
    add_library(${name} STATIC ${ARGN})
    target_include_directories(${name} PUBLIC "${PROJECT_SOURCE_DIR}")
    set_target_properties(${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
    set_property(GLOBAL APPEND PROPERTY CALSTUDIO_CORE_TARGETS ${name})
endfunction()
