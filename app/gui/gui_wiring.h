// Builds the running application: the JobQueue with the real engine, the AppController with
// the real validators and device facts, and the QML window. Shared by main.cpp and the
// end-to-end test so both start exactly the same thing.
#pragma once

#include <QString>
#include <QStringList>

#include <memory>

class QQmlApplicationEngine;
#include <QSettings>
class QQuickWindow;

namespace stemdeck::ui {
class AppController;
}

namespace stemdeck::gui {

struct GuiOptions {
    std::unique_ptr<QSettings> settings; // null: the application's QSettings
    QString modelsDir;                   // empty: <AppDataLocation>/models
    QString stagingDir;                  // empty: <CacheLocation>/staging
    QStringList paths;                   // files/folders from the command line
    bool stageDemo = true;               // queue the demo loop when nothing else was given
    QString resourcesDir;                // empty: found as the engine finds it (resource_paths)
};

class Gui {
public:
    explicit Gui(GuiOptions options);
    ~Gui();
    // False when the main QML could not be loaded (the errors are in the log).
    bool load();
    QQuickWindow* window() const;
    ui::AppController* controller() const;
    QQmlApplicationEngine* engine() const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// Where bundled data lives: next to the executable when installed, the source tree otherwise.
QString resourcesDir();

// The bundled model the demo is separated with, and the demo loop, below a resources folder.
inline constexpr const char* kDemoModelName = "drumsep-compact";
inline constexpr const char* kDemoLoop = "demo/demo-loop.flac";

} // namespace stemdeck::gui
