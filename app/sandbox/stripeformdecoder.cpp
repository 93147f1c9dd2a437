#include "app/sandbox/stripeformdecoder.h"

#include <QJsonArray>

#include <algorithm>
#include <vector>

namespace CalStudio {

namespace {

// The parse tree before it becomes JSON: whether a level is an array is only known once every
// key of that level has been seen (`a[0]=x&a[k]=y` is a hash), so JSON is built at the end.
struct Node {
    QString name;
    bool leaf = false;
    QString value;
    std::vector<Node> children;

    Node *child(const QString &childName)
    {
        for (Node &c : children) {
            if (c.name == childName)
                return &c;
        }
        return nullptr;
    }
};

bool isIndex(const QString &name)
{
    if (name.isEmpty() || name.size() > 9)
        return false;
    if (name.size() > 1 && name.front() == QLatin1Char('0'))
        return false;
    return std::all_of(name.cbegin(), name.cend(), [](QChar c) { return c.isDigit(); });
}

QString nextIndex(const Node &node)
{
    int next = 0;
    for (const Node &c : node.children) {
        if (isIndex(c.name))
            next = std::max(next, c.name.toInt() + 1);
    }
    return QString::number(next);
}

bool insert(Node &node, const QStringList &segments, qsizetype i, const QString &value)
{
    if (i == segments.size()) {
        if (!node.children.empty())
            return false; // already a hash
        node.leaf = true;
        node.value = value;
        return true;
    }
    if (node.leaf)
        return false; // already a value
    QString name = segments.at(i);
    if (name.isEmpty()) {
        // `[]`: append, except that `a[][k]` continues the last element while it lacks `k`.
        if (i + 1 < segments.size() && !node.children.empty()) {
            Node &last = node.children.back();
            if (!last.leaf && !last.child(segments.at(i + 1)))
                return insert(last, segments, i + 1, value);
        }
        name = nextIndex(node);
    }
    Node *target = node.child(name);
    if (!target) {
        node.children.push_back(Node { name, false, {}, {} });
        target = &node.children.back();
    }
    return insert(*target, segments, i + 1, value);
}

QJsonValue toJson(const Node &node)
{
    if (node.leaf)
        return node.value;
    const bool array = !node.children.empty()
        && std::all_of(node.children.cbegin(), node.children.cend(), [](const Node &c) { return isIndex(c.name); });
    if (array) {
        std::vector<const Node *> ordered;
        for (const Node &c : node.children)
            ordered.push_back(&c);
        std::sort(ordered.begin(), ordered.end(),
            [](const Node *a, const Node *b) { return a->name.toInt() < b->name.toInt(); });
        QJsonArray result;
        for (const Node *c : ordered)
            result.append(toJson(*c));
        return result;
    }
    QJsonObject result;
    for (const Node &c : node.children)
        result.insert(c.name, toJson(c));
    return result;
}

} // namespace

QString StripeFormDecoder::decodeComponent(QByteArray component)
{
    component.replace('+', ' ');
    return QString::fromUtf8(QByteArray::fromPercentEncoding(component));
}

std::optional<QStringList> StripeFormDecoder::splitKey(const QString &key)
{
    const qsizetype open = key.indexOf(QLatin1Char('['));
    if (open == 0 || key.isEmpty())
        return std::nullopt;
    if (open < 0)
        return key.contains(QLatin1Char(']')) ? std::nullopt : std::optional<QStringList>(QStringList { key });
    QStringList segments { key.left(open) };
    if (segments.first().contains(QLatin1Char(']')))
        return std::nullopt;
    qsizetype pos = open;
    while (pos < key.size()) {
        if (key.at(pos) != QLatin1Char('['))
            return std::nullopt;
        const qsizetype close = key.indexOf(QLatin1Char(']'), pos + 1);
        if (close < 0)
            return std::nullopt;
        const QString segment = key.mid(pos + 1, close - pos - 1);
        if (segment.contains(QLatin1Char('[')))
            return std::nullopt;
        segments.append(segment);
        pos = close + 1;
    }
    return segments;
}

std::optional<QJsonObject> StripeFormDecoder::decode(const QByteArray &body, QString *error, QString *errorParam)
{
    Node root;
    const QList<QByteArray> pairs = body.split('&');
    for (const QByteArray &pair : pairs) {
        if (pair.isEmpty())
            continue;
        const qsizetype equals = pair.indexOf('=');
        const QString key = decodeComponent(equals < 0 ? pair : pair.left(equals));
        const QString value = equals < 0 ? QString() : decodeComponent(pair.mid(equals + 1));
        const auto segments = splitKey(key);
        if (!segments) {
            if (error)
                *error = QStringLiteral("Invalid parameter name: %1").arg(key);
            if (errorParam)
                *errorParam = key;
            return std::nullopt;
        }
        if (!insert(root, *segments, 0, value)) {
            if (error)
                *error = QStringLiteral("Invalid hash: %1 is given both as a value and as a hash").arg(key);
            if (errorParam)
                *errorParam = segments->first();
            return std::nullopt;
        }
    }
    QJsonObject result;
    for (const Node &c : root.children)
        result.insert(c.name, toJson(c));
    return result;
}

} // namespace CalStudio
