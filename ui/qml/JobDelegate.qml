// One job in the queue: file, duration, model, device, state, progress with ETA, and the
// actions that make sense in its state.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import StemDeck.Ui

ItemDelegate {
    id: row

    required property int index
    required property string fileName
    required property string file
    required property string durationText
    required property string modelName
    required property string device
    required property string jobState
    required property string stateText
    required property real progress
    required property string etaText
    required property string detailText
    required property string outputFolder
    required property string error
    required property bool canCancel
    required property bool canRetry
    required property bool canReveal
    required property bool canExport

    signal cancel()
    signal retry()
    signal retryOnCpu()
    signal remove(bool fromKeyboard)
    signal reveal()
    signal exportNow()

    // The keyboard on this row (Tab into the queue, then the arrows): a button that vanished
    // under it leaves it here rather than at the window's root.
    function focusRow() {
        if (!ListView.view || !row.visible) // a recycled row: not one to hold the keyboard
            return
        ListView.view.currentIndex = index
        row.forceActiveFocus(Qt.TabFocusReason)
    }

    // A row button the keyboard is on that disappears once it has acted (Cancel, Retry, Export)
    // hands the keyboard to the row. After a mouse click the row is not given the keyboard.
    // (Qt 6.4 leaves the active focus on an item that turns invisible, where Space would press
    // the hidden button; later versions drop it at the window's root.)
    // Handed over once: the hand-over itself takes the focus from the hidden button, which must
    // not ask again (a second hand-over, run later, would pull the keyboard back from where the
    // user had moved it).
    component RowButton: ToolButton {
        property bool keyboardFocus: false
        function handOver() {
            keyboardFocus = false
            Qt.callLater(row.focusRow)
        }
        onActiveFocusChanged: {
            if (activeFocus)
                keyboardFocus = visualFocus
            else if (!visible && keyboardFocus)
                handOver()
        }
        onVisibleChanged: {
            if (!visible && activeFocus && keyboardFocus)
                handOver()
        }
    }

    height: 64
    // From the keyboard: Tab into the queue, arrows move, Space or Enter opens the job's stems.
    focus: ListView.isCurrentItem
    highlighted: ListView.isCurrentItem && ListView.view.activeFocus
    Keys.onReturnPressed: row.clicked()
    Keys.onEnterPressed: row.clicked()
    Accessible.name: qsTr("%1, %2").arg(fileName).arg(stateText)
    Accessible.description: jobState === "failed" ? error : detailText
    background: Rectangle { color: row.highlighted || row.hovered ? Theme.dropHighlight : Theme.panel }

    contentItem: RowLayout {
        spacing: Theme.spacing

        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                Layout.fillWidth: true
                text: row.fileName
                font.bold: true
                elide: Text.ElideMiddle
                color: Theme.text
                ToolTip.visible: fileHover.hovered
                ToolTip.text: row.file
                HoverHandler { id: fileHover }
            }
            Label {
                Layout.fillWidth: true
                text: [row.durationText, row.modelName, row.device].filter(s => s.length > 0).join(" · ")
                color: Theme.mutedText
                elide: Text.ElideRight
            }
            ProgressBar {
                Layout.fillWidth: true
                visible: row.jobState === "running"
                value: row.progress
                Accessible.name: qsTr("Progress of %1").arg(row.fileName)
            }
        }

        ColumnLayout {
            spacing: 2
            Layout.preferredWidth: row.jobState === "done" ? 280 : 150
            Label {
                objectName: "stateLabel"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignRight
                text: row.jobState === "running" ? qsTr("%1 %2%").arg(row.stateText).arg(Math.round(row.progress * 100))
                                              : row.stateText
                color: row.jobState === "failed" ? Theme.danger
                       : row.jobState === "done" ? Theme.success : Theme.text
                elide: Text.ElideRight
            }
            Label {
                objectName: "detailLabel"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignRight
                // Failed: the error's title; running: time left; done: where the stems went
                // (elided in the middle, so the track's folder stays readable) or that they wait.
                text: row.jobState === "failed" ? row.error : row.detailText
                color: Theme.mutedText
                elide: row.jobState === "done" ? Text.ElideMiddle : Text.ElideRight
                visible: text.length > 0
                HoverHandler { id: detailHover }
                ToolTip.visible: detailHover.hovered && row.outputFolder !== ""
                ToolTip.text: row.outputFolder
            }
        }

        RowButton {
            objectName: "rowCancelButton"
            visible: row.canCancel
            text: qsTr("Cancel")
            Accessible.name: qsTr("Cancel %1").arg(row.fileName)
            onClicked: row.cancel()
        }
        RowButton {
            objectName: "rowRetryButton"
            visible: row.canRetry
            text: qsTr("Retry")
            Accessible.name: qsTr("Retry %1").arg(row.fileName)
            onClicked: row.retry()
        }
        RowButton {
            visible: row.canRetry && row.device !== "CPU"
            text: qsTr("Retry on CPU")
            Accessible.name: qsTr("Retry %1 on the CPU").arg(row.fileName)
            onClicked: row.retryOnCpu()
        }
        RowButton {
            visible: row.canExport
            text: qsTr("Export")
            Accessible.name: qsTr("Export %1").arg(row.fileName)
            onClicked: row.exportNow()
        }
        RowButton {
            visible: row.canReveal
            text: qsTr("Show files")
            Accessible.name: qsTr("Show the stems of %1").arg(row.fileName)
            onClicked: row.reveal()
        }
        ToolButton {
            objectName: "removeButton"
            visible: !row.canCancel
            text: "✕"
            Accessible.name: qsTr("Remove %1 from the list").arg(row.fileName)
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Remove from the list")
            // The row goes (once the queue confirms): from the keyboard, the row that takes its
            // place gets the keyboard (JobListPanel).
            onClicked: row.remove(visualFocus)
        }
    }
}
