// Forwards the plain-C++ core log (common/log.h) into Qt's logging, one QLoggingCategory per core
// category with the same name ("stemdeck.engine", ...), so QT_LOGGING_RULES, message handlers
// and the GUI's log view see engine, model and device messages like any Qt message.
#pragma once

#include <QtGlobal>

class QLoggingCategory;

namespace stemdeck::jobs {

// Installs the bridge (idempotent, thread-safe); messages then reach qDebug/qInfo/qWarning/
// qCritical under the category of the same name. `minimum` is the default threshold of the Qt
// categories (the GUI's log view wants info, the CLI stays quiet with warnings);
// QT_LOGGING_RULES ("stemdeck.engine.info=true") overrides it.
void installLogBridge(QtMsgType minimum = QtInfoMsg);
// Restores the core log's own stderr sink.
void removeLogBridge();

// The Qt category for a core category name (created on first use, lives for the process).
const QLoggingCategory& qtCategory(const char* name);

} // namespace stemdeck::jobs
