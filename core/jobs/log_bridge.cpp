#include "jobs/log_bridge.h"

#include "common/log.h"

#include <QHash>
#include <QLoggingCategory>
#include <QMessageLogger>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

namespace stemdeck::jobs {

namespace {
std::atomic<int> g_minimum{QtInfoMsg};
}

const QLoggingCategory& qtCategory(const char* name) {
    // QLoggingCategory keeps the name pointer: keep the strings and categories for the process.
    static std::mutex mutex;
    static QHash<QByteArray, std::shared_ptr<std::pair<QByteArray, std::unique_ptr<QLoggingCategory>>>> categories;
    std::lock_guard lock(mutex);
    const QByteArray key(name);
    auto it = categories.find(key);
    if (it == categories.end()) {
        auto entry = std::make_shared<std::pair<QByteArray, std::unique_ptr<QLoggingCategory>>>();
        entry->first = key;
        entry->second = std::make_unique<QLoggingCategory>(entry->first.constData(),
                                                           static_cast<QtMsgType>(g_minimum.load()));
        it = categories.insert(key, entry);
    }
    return *it.value()->second;
}

void installLogBridge(QtMsgType minimum) {
    g_minimum = minimum;
    log::setSink([](const log::Category& category, log::Level level, std::string_view message) {
        const QLoggingCategory& cat = qtCategory(category.name);
        const QString text = QString::fromUtf8(message.data(), static_cast<qsizetype>(message.size()));
        QMessageLogger logger(nullptr, 0, nullptr, cat.categoryName());
        switch (level) {
        case log::Level::Debug:
            if (cat.isDebugEnabled()) logger.debug("%s", qUtf8Printable(text));
            break;
        case log::Level::Info:
            if (cat.isInfoEnabled()) logger.info("%s", qUtf8Printable(text));
            break;
        case log::Level::Warning:
            if (cat.isWarningEnabled()) logger.warning("%s", qUtf8Printable(text));
            break;
        case log::Level::Error:
            if (cat.isCriticalEnabled()) logger.critical("%s", qUtf8Printable(text));
            break;
        }
    });
}

void removeLogBridge() { log::setSink({}); }

} // namespace stemdeck::jobs
