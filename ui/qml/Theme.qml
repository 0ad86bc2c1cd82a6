// Colours and spacing shared by every component; `dark` follows the system or the override.
pragma Singleton
import QtQuick

QtObject {
    property bool dark: false

    readonly property color window: dark ? "#1e1f22" : "#f6f6f7"
    readonly property color panel: dark ? "#2b2d31" : "#ffffff"
    readonly property color text: dark ? "#e8e8ea" : "#1d1d1f"
    readonly property color mutedText: dark ? "#a0a3aa" : "#5f6368"
    // Text of a control that cannot be used now: paler than mutedText, so that a disabled button
    // does not look like one that would act.
    readonly property color disabledText: dark ? "#6b6e75" : "#a9acb2"
    readonly property color border: dark ? "#3c3f45" : "#d9dadd"
    readonly property color accent: dark ? "#6ea8fe" : "#2f6fd6"
    readonly property color success: dark ? "#5cc98a" : "#1f8a4c"
    readonly property color danger: dark ? "#ff7b72" : "#c62828"
    readonly property color bannerBackground: dark ? "#4a2326" : "#fdecea"
    readonly property color dropHighlight: dark ? "#2f4a70" : "#dce8fb"

    readonly property int spacing: 8
    readonly property int margin: 12
    readonly property int radius: 6
}
