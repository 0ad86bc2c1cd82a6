// The queue: one row per file, an empty state that invites a drop, and a summary line.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import StemDeck.Ui

Pane {
    id: panel

    required property JobListModel jobs
    // The bundled demo loop ("" when not installed): the empty queue offers to separate it.
    property string demoFile: ""
    signal openRequested()
    signal demoRequested()
    // A click on a row (not on its buttons): Main.qml opens a finished job in the stem preview.
    signal jobClicked(int row)

    // Gives the keyboard to the queue: its current row, or with no jobs the Open button.
    function focusQueue() {
        if (list.count > 0) {
            list.currentIndex = Math.max(0, Math.min(list.currentIndex, list.count - 1))
            list.forceLayout() // the current row exists now
            // The row itself: the list may hold the active focus already, on a row that went.
            const row = list.currentItem || list
            row.forceActiveFocus(Qt.TabFocusReason)
        } else {
            openFilesButton.forceActiveFocus(Qt.TabFocusReason)
        }
    }

    padding: 0
    background: Rectangle { color: Theme.window }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: Theme.margin
            Label {
                text: qsTr("Queue")
                font.bold: true
                font.pixelSize: 16
                color: Theme.text
            }
            Label {
                objectName: "queueSummary"
                Layout.fillWidth: true
                // Failed jobs are named once there are any: they count as neither done nor
                // in progress, and the user has to act on them.
                text: panel.jobs.count === 0 ? ""
                      : panel.jobs.failedCount > 0
                        ? qsTr("%1 ready · %2 in progress · %3 done · %4 failed")
                              .arg(panel.jobs.readyCount).arg(panel.jobs.activeCount)
                              .arg(panel.jobs.finishedCount).arg(panel.jobs.failedCount)
                        : qsTr("%1 ready · %2 in progress · %3 done")
                              .arg(panel.jobs.readyCount).arg(panel.jobs.activeCount)
                              .arg(panel.jobs.finishedCount)
                color: Theme.mutedText
                elide: Text.ElideRight
            }
            Button {
                text: qsTr("Clear finished")
                flat: true
                visible: panel.jobs.count > 0
                Accessible.name: qsTr("Remove finished, failed and cancelled jobs")
                onClicked: panel.jobs.removeFinished()
            }
        }

        ProgressBar {
            Layout.fillWidth: true
            Layout.leftMargin: Theme.margin
            Layout.rightMargin: Theme.margin
            visible: panel.jobs.activeCount > 0
            value: panel.jobs.overallProgress
            Accessible.name: qsTr("Overall progress")
        }

        ListView {
            id: list
            objectName: "jobList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: panel.jobs
            spacing: 1
            reuseItems: true
            activeFocusOnTab: true
            keyNavigationEnabled: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Jobs")
            // A row removed from the keyboard: once it is gone, the row in its place (or the one
            // above, or the empty queue's Open button) takes the keyboard. Qt 6.4 would leave the
            // focus on the removed row's recycled, invisible item.
            // Only a shrinking queue answers (a file added meanwhile does not), and only while the
            // user has not taken the keyboard to another control.
            property int refocusAt: -1
            property int refocusBelow: 0
            onCountChanged: {
                if (refocusAt < 0 || count >= refocusBelow)
                    return
                currentIndex = Math.min(refocusAt, count - 1)
                refocusAt = -1
                Qt.callLater(panel.focusQueue)
            }
            onActiveFocusChanged: {
                const now = Window.activeFocusItem
                if (!activeFocus && now && now !== Window.contentItem)
                    refocusAt = -1 // the user went elsewhere
            }
            ScrollBar.vertical: ScrollBar {}
            delegate: JobDelegate {
                width: ListView.view.width
                onCancel: panel.jobs.cancel(index)
                onRetry: panel.jobs.retry(index)
                onRetryOnCpu: panel.jobs.retryOnCpu(index)
                onRemove: fromKeyboard => {
                    if (fromKeyboard) {
                        list.refocusAt = index
                        list.refocusBelow = list.count
                    }
                    panel.jobs.remove(index)
                }
                onReveal: panel.jobs.reveal(index)
                onExportNow: panel.jobs.exportJob(index)
                onClicked: panel.jobClicked(index)
            }

            Column {
                anchors.centerIn: parent
                width: Math.min(parent.width - 2 * Theme.margin, 420)
                spacing: Theme.spacing
                visible: list.count === 0
                Label {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: qsTr("Drop audio files or folders anywhere on this window")
                    font.pixelSize: 18
                    color: Theme.text
                }
                Label {
                    width: parent.width
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    text: qsTr("WAV, FLAC, Ogg, Opus, MP3 and AIFF are read. Folders are searched recursively.")
                    color: Theme.mutedText
                }
                Button {
                    id: openFilesButton
                    objectName: "openFilesButton"
                    anchors.horizontalCenter: parent.horizontalCenter
                    text: qsTr("Open audio files…")
                    Accessible.name: text
                    onClicked: panel.openRequested()
                }
                Button {
                    objectName: "demoButton"
                    anchors.horizontalCenter: parent.horizontalCenter
                    visible: panel.demoFile !== ""
                    highlighted: true
                    text: qsTr("Separate the demo loop")
                    Accessible.name: text
                    Accessible.description: qsTr("Separates the drum loop bundled with StemDeck and opens its stems in the preview")
                    onClicked: panel.demoRequested()
                }
            }
        }
    }
}
