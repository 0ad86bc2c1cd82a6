// The live profiling panel: where one job's time and memory went, drawn from a ProfileModel while
// the job runs and after it ends. Stage bars, throughput and memory charts (scene-graph items),
// batch-size changes, fallbacks and warnings with explanations, device info, exports.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import StemDeck.Profiling

Rectangle {
    id: root
    property ProfileModel model: ProfileModel {}
    property string traceExportPath: ""
    property string summaryExportPath: ""
    property string exportMessage: ""
    // Optional: kind ("trace" or "summary") -> a path, asked at each click (a new file each time);
    // the fixed paths above are used when it is not set.
    property var exportPathFor: null

    function exportPath(kind) {
        return root.exportPathFor ? root.exportPathFor(kind) : kind === "trace" ? root.traceExportPath : root.summaryExportPath
    }
    color: "#1e2227"
    radius: 6
    implicitWidth: 900
    implicitHeight: column.implicitHeight + 24

    // The engine's stage ids ("overlap-add") in the interface language.
    function stageLabel(id) {
        switch (id) {
        case "load": return qsTr("Load model")
        case "decode": return qsTr("Decode")
        case "resample": return qsTr("Resample")
        case "warmup": return qsTr("Warm-up")
        case "transfer": return qsTr("Transfer")
        case "stft": return qsTr("STFT")
        case "model": return qsTr("Model")
        case "istft": return qsTr("iSTFT")
        case "overlap-add": return qsTr("Overlap-add")
        case "encode": return qsTr("Encode")
        case "write": return qsTr("Write")
        }
        return id
    }
    function mb(bytes) { return bytes < 0 ? qsTr("n/a") : qsTr("%1 MiB").arg((bytes / 1048576).toFixed(0)) }

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 12
        spacing: 10

        RowLayout {
            spacing: 18
            Label { objectName: "deviceLabel"; color: "#e6e6e6"; font.bold: true; text: qsTr("Device: %1").arg(root.model.device || qsTr("n/a")) }
            Label { objectName: "rtfLabel"; color: "#5fb36b"; text: qsTr("%1x real-time").arg(root.model.realTimeFactor.toFixed(2)) }
            Label { objectName: "warmupLabel"; color: "#e6e6e6"; text: qsTr("Warm-up %1 s").arg(root.model.warmupSeconds.toFixed(2)) }
            Label { color: "#e6e6e6"; text: qsTr("Batch %1 (%2 batches)").arg(root.model.batchSize).arg(root.model.batchCount) }
            Label { color: "#e6e6e6"; text: qsTr("Wall %1 s").arg(root.model.wallSeconds.toFixed(2)) }
            Item { Layout.fillWidth: true }
            Button {
                objectName: "exportTraceButton"
                text: qsTr("Export Chrome trace")
                enabled: (root.exportPathFor !== null || root.traceExportPath !== "") && root.model.eventCount > 0
                onClicked: {
                    const path = root.exportPath("trace")
                    root.exportMessage = root.model.exportChromeTrace(path)
                        ? qsTr("Trace written to %1 (open it in ui.perfetto.dev)").arg(path) : root.model.lastError()
                }
            }
            Button {
                objectName: "exportSummaryButton"
                text: qsTr("Export summary")
                enabled: (root.exportPathFor !== null || root.summaryExportPath !== "") && root.model.eventCount > 0
                onClicked: {
                    const path = root.exportPath("summary")
                    root.exportMessage = root.model.exportSummary(path)
                        ? qsTr("Summary written to %1").arg(path) : root.model.lastError()
                }
            }
        }
        // Before any job: what the panel is for, instead of a row of zeros and empty charts.
        Label {
            objectName: "noProfileYet"
            visible: root.model.eventCount === 0
            text: qsTr("No job profiled yet: start a separation to see where its time and memory go.")
            color: "#9aa4ae"
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Label {
            visible: root.model.deviceInfo !== ""
            text: root.model.deviceInfo
            color: "#9aa4ae"
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }

        Label { objectName: "timePerStageLabel"; text: qsTr("Time per stage"); color: "#e6e6e6"; font.bold: true }
        GridLayout {
            columns: 3
            columnSpacing: 8
            rowSpacing: 3
            Layout.fillWidth: true
            Repeater {
                id: stageBars
                objectName: "stageBars"
                model: root.model.stageCount
                delegate: Item {
                    required property int index
                    readonly property var modelData: root.model.stageTotals[index] || ({ stage: "", seconds: 0, fraction: 0 })
                    Layout.columnSpan: 3
                    Layout.fillWidth: true
                    implicitHeight: 18
                    Label { id: stageName; objectName: "stageName"; width: 100; text: root.stageLabel(modelData.stage); color: "#c8d0d8"; elide: Text.ElideRight }
                    Rectangle {
                        objectName: "stageBar"
                        x: 104
                        height: 14
                        anchors.verticalCenter: parent.verticalCenter
                        width: Math.max(2, (parent.width - 190) * modelData.fraction)
                        radius: 2
                        color: "#4f9dde"
                    }
                    Label {
                        anchors.right: parent.right
                        text: qsTr("%1 s").arg(modelData.seconds.toFixed(3))
                        color: "#c8d0d8"
                        font.family: "monospace"
                    }
                }
            }
        }

        RowLayout {
            spacing: 12
            Layout.fillWidth: true
            ColumnLayout {
                Layout.fillWidth: true
                Layout.preferredWidth: 1 // the two charts share the width equally
                Label { color: "#e6e6e6"; font.bold: true; text: qsTr("Throughput (x real-time), peak %1").arg(root.model.maxRealTimeFactor.toFixed(2)) }
                Rectangle {
                    Layout.fillWidth: true
                    Layout.preferredHeight: 120
                    color: "#15181c"
                    ProfileChart { objectName: "throughputChart"; anchors.fill: parent; anchors.margins: 4; model: root.model; kind: "throughput" }
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                Layout.preferredWidth: 1 // the two charts share the width equally
                Label {
                    color: "#e6e6e6"; font.bold: true
                    text: qsTr("Memory peaks: process (blue) %1, device (orange) %2; budget (red) %3")
                          .arg(root.mb(root.model.peakProcessBytes)).arg(root.mb(root.model.peakDeviceBytes)).arg(root.mb(root.model.budgetBytes))
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Rectangle {
                    Layout.fillWidth: true
                    Layout.preferredHeight: 120
                    color: "#15181c"
                    ProfileChart { objectName: "memoryChart"; anchors.fill: parent; anchors.margins: 4; model: root.model; kind: "memory" }
                }
            }
        }

        Label { text: qsTr("Batch changes, fallbacks and warnings"); color: "#e6e6e6"; font.bold: true; visible: notices.count > 0 }
        Repeater {
            id: notices
            objectName: "notices"
            model: root.model.noticeCount
            delegate: ColumnLayout {
                required property int index
                readonly property var modelData: root.model.notices[index] || ({ time: 0, kind: "", title: "", message: "", explanation: "" })
                Layout.fillWidth: true
                spacing: 1
                Label {
                    text: qsTr("%1 s  %2: %3").arg(modelData.time.toFixed(2)).arg(modelData.title || modelData.kind).arg(modelData.message)
                    color: modelData.kind === "warning" ? "#f0c75e" : modelData.kind === "fallback" ? "#f0a35e" : "#c8d0d8"
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Label {
                    visible: modelData.explanation !== "" && modelData.explanation !== modelData.message
                    text: modelData.explanation
                    color: "#9aa4ae"
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                    leftPadding: 16
                }
            }
        }
        Label { objectName: "exportMessage"; visible: root.exportMessage !== ""; text: root.exportMessage; color: "#b8c0c8"; Layout.fillWidth: true; elide: Text.ElideMiddle }
    }
}
