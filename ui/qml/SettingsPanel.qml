// Separation and export settings; every change is stored by SettingsModel at once.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import StemDeck.Ui

ScrollView {
    id: root

    required property AppController controller
    readonly property SettingsModel settings: controller.settings
    signal chooseDestination()

    contentWidth: availableWidth
    clip: true

    ColumnLayout {
        width: root.availableWidth
        spacing: Theme.spacing

        GroupBox {
            title: qsTr("Separation")
            Layout.fillWidth: true
            Layout.margins: Theme.margin

            GridLayout {
                anchors.fill: parent
                columns: 2
                columnSpacing: Theme.spacing

                Label { text: qsTr("Device") }
                ComboBox {
                    id: deviceBox
                    objectName: "deviceBox"
                    Layout.fillWidth: true
                    model: root.settings.devices
                    textRole: "name"
                    valueRole: "id"
                    delegate: ItemDelegate {
                        required property var modelData
                        required property int index
                        objectName: "deviceChoice"
                        width: ListView.view.width
                        // The open list shows the row the arrows are on, as the other boxes' do.
                        highlighted: deviceBox.highlightedIndex === index
                        text: modelData.memory > 0
                              ? qsTr("%1 (%2)").arg(modelData.name).arg(root.settings.formatBytes(modelData.memory))
                              : modelData.name
                    }
                    displayText: {
                        const d = root.settings.devices[currentIndex]
                        return d ? (d.memory > 0 ? qsTr("%1 (%2)").arg(d.name).arg(root.settings.formatBytes(d.memory)) : d.name) : ""
                    }
                    currentIndex: Math.max(0, root.settings.devices.findIndex(d => d.id === root.settings.device))
                    onActivated: root.settings.device = currentValue
                    Accessible.name: qsTr("Device")
                }

                Label { text: qsTr("Overlap") }
                RowLayout {
                    CheckBox {
                        objectName: "overlapAutoBox"
                        text: qsTr("Model's")
                        checked: root.settings.overlapAuto
                        onToggled: root.settings.overlapAuto = checked
                        Accessible.name: qsTr("The model's own overlap")
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("The overlap the model was measured at")
                    }
                    SpinBox {
                        objectName: "overlapBox"
                        from: 1; to: 16
                        // Hidden while the model's own overlap applies: its value is in the
                        // model's config, not here.
                        visible: !root.settings.overlapAuto
                        value: root.settings.overlap
                        onValueModified: root.settings.overlap = value
                        Accessible.name: qsTr("Overlap")
                        ToolTip.visible: hovered
                        ToolTip.text: qsTr("More overlap is smoother and slower")
                    }
                }

                Label { text: qsTr("Soft masks") }
                CheckBox {
                    objectName: "softMasksBox"
                    text: qsTr("Model's")
                    checked: root.settings.softMasks
                    onToggled: root.settings.softMasks = checked
                    Accessible.name: qsTr("The model's soft masks")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Share the mix between the stems by their spectra, as the model's config asks. Off is faster, but a model trained with them, such as the bundled one, separates worse without")
                }

                Label { text: qsTr("Stereo filter") }
                CheckBox {
                    objectName: "stereoFilterBox"
                    text: qsTr("Model's")
                    checked: root.settings.stereoFilter
                    onToggled: root.settings.stereoFilter = checked
                    Accessible.name: qsTr("The model's stereo filter")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("Tell the stems apart by where they sit in the stereo image (a multichannel Wiener filter), as the model's config asks. Off is faster, but a model trained with it, such as the bundled one, separates worse without")
                }

                Label { text: qsTr("Extra passes") }
                CheckBox {
                    objectName: "extraPassesBox"
                    text: qsTr("About 2x slower")
                    checked: root.settings.extraPasses
                    onToggled: root.settings.extraPasses = checked
                    Accessible.name: qsTr("Extra passes: the model also hears the audio mirrored and inverted")
                    ToolTip.visible: hovered
                    ToolTip.text: qsTr("The model also hears the audio with left and right swapped and with its polarity inverted, and the results are averaged (test-time augmentation). About twice the time; on the bundled drum model it measured no clear gain")
                }

                Label { text: qsTr("Batch size") }
                RowLayout {
                    CheckBox {
                        objectName: "batchAutoBox"
                        text: qsTr("Automatic")
                        checked: root.settings.batchAuto
                        onToggled: root.settings.batchAuto = checked
                        Accessible.name: qsTr("Automatic batch size")
                    }
                    SpinBox {
                        objectName: "batchBox"
                        from: 1; to: 64
                        // Hidden while the batch is automatic (as the overlap is while the model's
                        // applies): the planner picks it per job, and a greyed "1" read as the
                        // batch that would run.
                        visible: !root.settings.batchAuto
                        value: root.settings.batchSize
                        onValueModified: root.settings.batchSize = value
                        Accessible.name: qsTr("Batch size")
                    }
                }

                Label { text: qsTr("Precision") }
                ComboBox {
                    Layout.fillWidth: true
                    readonly property var choices: [
                        { id: "fp32", label: qsTr("Full (32-bit float)") },
                        { id: "fp16", label: qsTr("Half (16-bit float)") },
                        { id: "bf16", label: qsTr("Half (bfloat16)") }
                    ]
                    model: choices
                    textRole: "label"
                    valueRole: "id"
                    currentIndex: Math.max(0, choices.findIndex(c => c.id === root.settings.precision))
                    onActivated: root.settings.precision = currentValue
                    Accessible.name: qsTr("Precision")
                }
            }
        }

        GroupBox {
            title: qsTr("Export")
            Layout.fillWidth: true
            Layout.leftMargin: Theme.margin
            Layout.rightMargin: Theme.margin

            GridLayout {
                anchors.fill: parent
                columns: 2
                columnSpacing: Theme.spacing

                Label { text: qsTr("Format") }
                ComboBox {
                    objectName: "formatBox"
                    Layout.fillWidth: true
                    model: root.settings.outputFormats
                    textRole: "name"
                    valueRole: "id"
                    currentIndex: Math.max(0, root.settings.outputFormats.findIndex(f => f.id === root.settings.outputFormat))
                    onActivated: root.settings.outputFormat = currentValue
                    Accessible.name: qsTr("Output format")
                }

                Label { text: qsTr("File names") }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    TextField {
                        objectName: "templateField"
                        Layout.fillWidth: true
                        text: root.settings.namingTemplate
                        onTextEdited: root.settings.namingTemplate = text
                        Accessible.name: qsTr("File name pattern")
                        Accessible.description: root.settings.namingError
                    }
                    Label {
                        objectName: "templateMessage"
                        Layout.fillWidth: true
                        wrapMode: Text.WordWrap
                        font.pixelSize: 12
                        color: root.settings.namingError.length > 0 ? Theme.danger : Theme.mutedText
                        text: root.settings.namingError.length > 0 ? root.settings.namingError
                              : qsTr("Example: %1").arg(root.settings.namingExample)
                    }
                }

                Label { text: qsTr("Destination") }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 2
                    WrappingCheckBox {
                        objectName: "nextToSourceBox"
                        Layout.fillWidth: true
                        text: qsTr("Next to the source file")
                        checked: root.settings.nextToSource
                        onToggled: root.settings.nextToSource = checked
                        Accessible.name: text
                    }
                    RowLayout {
                        Layout.fillWidth: true
                        enabled: !root.settings.nextToSource
                        Label {
                            Layout.fillWidth: true
                            text: root.settings.destination
                            elide: Text.ElideMiddle
                            color: Theme.mutedText
                        }
                        Button {
                            text: qsTr("Choose…")
                            Accessible.name: qsTr("Choose the export folder")
                            onClicked: root.chooseDestination()
                        }
                    }
                }

                Label { text: qsTr("Stems"); Layout.alignment: Qt.AlignTop }
                Flow {
                    Layout.fillWidth: true
                    spacing: Theme.spacing
                    Repeater {
                        model: root.settings.availableStems
                        CheckBox {
                            required property string modelData
                            text: modelData
                            checked: root.settings.exportStems.indexOf(modelData) >= 0
                            onToggled: root.settings.setStemExported(modelData, checked)
                            Accessible.name: qsTr("Export %1").arg(modelData)
                        }
                    }
                    Label {
                        visible: root.settings.availableStems.length === 0
                        text: qsTr("Choose a model to see its stems")
                        color: Theme.mutedText
                    }
                }

                Item { width: 1; height: 1 }
                WrappingCheckBox {
                    text: qsTr("Also export the residual (mix minus the chosen stems)")
                    checked: root.settings.residual
                    onToggled: root.settings.residual = checked
                    Layout.fillWidth: true
                    Accessible.name: qsTr("Export the residual")
                }

                Item { width: 1; height: 1 }
                WrappingCheckBox {
                    text: qsTr("Export automatically when a job ends")
                    checked: root.settings.exportWhenDone
                    onToggled: root.settings.exportWhenDone = checked
                    Layout.fillWidth: true
                    Accessible.name: text
                }
            }
        }

        GroupBox {
            title: qsTr("Appearance")
            Layout.fillWidth: true
            Layout.margins: Theme.margin

            GridLayout {
                anchors.fill: parent
                columns: 2
                columnSpacing: Theme.spacing

                Label { text: qsTr("Language") }
                ComboBox {
                    objectName: "languageBox"
                    Layout.fillWidth: true
                    model: root.controller.languages
                    textRole: "name"
                    valueRole: "code"
                    currentIndex: Math.max(0, root.controller.languages.findIndex(l => l.code === root.settings.language))
                    onActivated: root.controller.setLanguage(currentValue)
                    Accessible.name: qsTr("Language")
                }

                Label { text: qsTr("Theme") }
                ComboBox {
                    objectName: "themeBox"
                    Layout.fillWidth: true
                    readonly property var choices: [
                        { id: "system", label: qsTr("Follow the system") },
                        { id: "light", label: qsTr("Light") },
                        { id: "dark", label: qsTr("Dark") }
                    ]
                    model: choices
                    textRole: "label"
                    valueRole: "id"
                    currentIndex: Math.max(0, choices.findIndex(c => c.id === root.settings.theme))
                    onActivated: root.settings.theme = currentValue
                    Accessible.name: qsTr("Theme")
                }
            }
        }
    }
}
