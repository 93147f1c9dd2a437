#include "core/project/selfieimporter.h"

#include "core/imaging/facedetector.h"
#include "core/imaging/imagedecoder.h"
#include "core/imaging/selfieanalyzer.h"
#include "core/project/project.h"
#include "core/project/projectlogging.h"
#include "core/project/projectstore.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QPointer>
#include <QThreadPool>

#include <optional>

namespace CalStudio {

namespace {

/// Analysis needs no more than this; detection itself runs at ≤ 1024 px.
constexpr int AnalysisEdge = 1536;

/// One detector per worker thread: FaceDetectorYN keeps per-call state.
const FaceDetector *threadDetector()
{
    thread_local std::optional<FaceDetector> detector;
    thread_local bool tried = false;
    if (!tried) {
        tried = true;
        auto created = FaceDetector::create();
        if (created)
            detector.emplace(std::move(*created));
        else
            qCWarning(lcProject) << "face detection unavailable:" << created.error();
    }
    return detector ? &*detector : nullptr;
}

} // namespace

struct SelfieImporter::Prepared {
    ImportOutcome outcome;
    QString sourceSha256;
    QByteArray cleanBytes;
    QByteArray analysisJson;
    int width = 0;
    int height = 0;
};

SelfieImporter::SelfieImporter(Project *project, QObject *parent)
    : QObject(parent)
    , m_project(project)
    , m_pool(std::make_unique<QThreadPool>())
{
    // Decoding a 12 MP photo takes ~35 MB; two at a time keeps memory modest on any machine.
    m_pool->setMaxThreadCount(qBound(1, QThread::idealThreadCount(), 2));
}

SelfieImporter::~SelfieImporter()
{
    if (m_cancelled)
        m_cancelled->store(true);
    m_pool->waitForDone();
}

QStringList SelfieImporter::imageFilesIn(const QString &folder)
{
    static const QStringList patterns{QStringLiteral("*.jpg"),  QStringLiteral("*.jpeg"), QStringLiteral("*.png"),
                                      QStringLiteral("*.webp"), QStringLiteral("*.heic"), QStringLiteral("*.heif"),
                                      QStringLiteral("*.tif"),  QStringLiteral("*.tiff")};
    QStringList files;
    const QDir dir(folder);
    for (const QFileInfo &info : dir.entryInfoList(patterns, QDir::Files | QDir::Readable, QDir::Name | QDir::IgnoreCase))
        files.append(info.absoluteFilePath());
    return files;
}

bool SelfieImporter::start(const QList<ImportItem> &items)
{
    if (m_running || !m_project)
        return false;
    m_running = true;
    m_outcomes.clear();
    m_imported.clear();
    m_total = int(items.size());
    m_done = 0;
    m_cancelled = std::make_shared<std::atomic_bool>(false);
    m_knownSources.clear();
    for (const SelfieRecord &r : m_project->selfies())
        m_knownSources.insert(r.sourceSha256);

    if (items.isEmpty()) {
        m_running = false;
        Q_EMIT finished();
        return true;
    }
    Q_EMIT progressChanged(0, m_total, QString());

    const QSet<QString> known = m_knownSources;
    const ImageLimits limits = m_limits;
    for (const ImportItem &item : items) {
        QPointer<SelfieImporter> self(this);
        std::shared_ptr<std::atomic_bool> cancelled = m_cancelled;
        m_pool->start([self, cancelled, item, known, limits] {
            auto prepared = std::make_shared<Prepared>();
            prepared->outcome.name = item.name;
            auto deliver = [&] {
                QMetaObject::invokeMethod(
                    self.data(),
                    [self, prepared] {
                        if (self)
                            self->store(prepared);
                    },
                    Qt::QueuedConnection);
            };
            if (cancelled->load()) {
                prepared->outcome.status = ImportOutcome::Status::Cancelled;
                deliver();
                return;
            }
            QByteArray bytes = item.bytes;
            if (!item.path.isEmpty()) {
                const QFileInfo info(item.path);
                if (!info.isFile()) {
                    prepared->outcome.error = Error(QStringLiteral("unreadable"),
                                                    tr("The file could not be found or is not a file."), item.path);
                    deliver();
                    return;
                }
                if (info.size() > limits.maxFileBytes) {
                    prepared->outcome.error =
                        Error(QStringLiteral("too_large"),
                              tr("The file is larger than %1 MB. Export a smaller copy from your photo app.")
                                  .arg(limits.maxFileBytes / (1024 * 1024)));
                    deliver();
                    return;
                }
                QFile file(item.path);
                if (!file.open(QIODevice::ReadOnly)) {
                    prepared->outcome.error = Error(QStringLiteral("unreadable"),
                                                    tr("The file could not be read. Check its permissions."),
                                                    file.errorString());
                    deliver();
                    return;
                }
                bytes = file.readAll();
            }
            prepared->sourceSha256 =
                QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());
            if (known.contains(prepared->sourceSha256)) {
                prepared->outcome.status = ImportOutcome::Status::Duplicate;
                deliver();
                return;
            }
            auto decoded = ImageDecoder::decode(bytes, limits, AnalysisEdge);
            if (!decoded) {
                prepared->outcome.error = decoded.error();
                deliver();
                return;
            }
            if (cancelled->load()) {
                prepared->outcome.status = ImportOutcome::Status::Cancelled;
                deliver();
                return;
            }
            const QSize original(decoded->probe.width, decoded->probe.height);
            QList<Face> faces;
            if (const FaceDetector *detector = threadDetector())
                faces = detector->detect(decoded->image);
            const SelfieAnalysis analysis = SelfieAnalyzer(limits).analyze(decoded->image, faces, -1, original);
            prepared->analysisJson = QJsonDocument(analysis.toJson()).toJson(QJsonDocument::Compact);
            for (const SelfieCheck &c : analysis.problems())
                prepared->outcome.warnings.append(c.message);

            auto clean = ImageDecoder::encodeClean(bytes, limits);
            if (!clean) {
                prepared->outcome.error = clean.error();
                deliver();
                return;
            }
            prepared->cleanBytes = std::move(*clean);
            prepared->width = original.width();
            prepared->height = original.height();
            prepared->outcome.status = ImportOutcome::Status::Imported;
            deliver();
        });
    }
    return true;
}

void SelfieImporter::store(const std::shared_ptr<Prepared> &prepared)
{
    ImportOutcome outcome = prepared->outcome;
    if (outcome.status == ImportOutcome::Status::Imported && m_cancelled->load())
        outcome.status = ImportOutcome::Status::Cancelled;
    if (outcome.status == ImportOutcome::Status::Imported && m_knownSources.contains(prepared->sourceSha256))
        outcome.status = ImportOutcome::Status::Duplicate; // the same file twice in one batch
    if (outcome.status == ImportOutcome::Status::Duplicate)
        outcome.error = Error(QStringLiteral("duplicate"), tr("This photo is already in the project."));

    if (outcome.status == ImportOutcome::Status::Imported) {
        SelfieRecord record;
        record.mime = QStringLiteral("image/jpeg");
        record.width = prepared->width;
        record.height = prepared->height;
        record.sourceSha256 = prepared->sourceSha256;
        record.originalName = outcome.name;
        record.analysisJson = prepared->analysisJson;
        if (auto st = m_project->store().addSelfie(record, prepared->cleanBytes); !st) {
            outcome.status = ImportOutcome::Status::Failed;
            outcome.error = st.error();
        } else {
            outcome.selfieId = record.id;
            m_knownSources.insert(record.sourceSha256);
            m_imported.append(record);
            m_project->addImportedSelfie(record);
        }
    }
    finishItem(outcome);
}

void SelfieImporter::finishItem(const ImportOutcome &outcome)
{
    m_outcomes.append(outcome);
    ++m_done;
    Q_EMIT itemFinished(outcome);
    Q_EMIT progressChanged(m_done, m_total, outcome.name);
    if (m_done == m_total) {
        m_running = false;
        qCInfo(lcProject) << "import finished:" << m_imported.size() << "of" << m_total << "imported";
        // Everything stored is one undo step, however the batch ended.
        m_project->recordImportedSelfies(m_imported);
        Q_EMIT finished();
    }
}

void SelfieImporter::cancel()
{
    if (m_cancelled)
        m_cancelled->store(true);
}

void SelfieImporter::waitForFinished()
{
    if (!m_running)
        return;
    QEventLoop loop;
    connect(this, &SelfieImporter::finished, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace CalStudio
