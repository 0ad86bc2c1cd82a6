// The panels as the user sees them: the banner shows and runs actions, the template field
// validates as you type, the queue lists jobs with the right actions.
import QtQuick
import QtQuick.Controls
import QtTest
import StemDeck.Ui

Item {
    id: root
    width: 1000
    height: 700

    ErrorBanner {
        id: banner
        width: parent.width
        banner: app.errors
    }

    JobListPanel {
        id: queue
        y: 200
        width: 600
        height: 480
        jobs: app.jobs
    }

    SettingsPanel {
        id: settings
        x: 600
        width: 400
        height: 700
        controller: app
    }

    ModelPanel {
        id: modelPanel
        x: 600
        y: 400
        width: 400
        height: 300
        controller: app
    }

    function findChild(item, name) {
        if (!item)
            return null
        if (item.objectName === name)
            return item
        const kids = item.children !== undefined ? item.children : []
        for (let i = 0; i < kids.length; ++i) {
            const found = findChild(kids[i], name)
            if (found)
                return found
        }
        if (item.contentItem && item.contentItem !== item) {
            const found = findChild(item.contentItem, name)
            if (found)
                return found
        }
        return null
    }

    TestCase {
        name: "Components"
        when: windowShown

        function test_1_bannerShowsTranslatedErrorAndActions() {
            compare(banner.visible, false)
            fake.showError()
            compare(banner.visible, true)
            compare(findChild(banner, "bannerTitle").text, "The GPU ran out of memory")
            const retryCpu = findChild(banner, "bannerAction_retry-cpu")
            verify(retryCpu !== null)
            compare(retryCpu.text, "Retry on CPU")
            const details = findChild(banner, "bannerDetailsText")
            compare(details.visible, false)
            waitForRendering(banner)
            const toggle = findChild(banner, "bannerDetails")
            verify(toggle.visible && toggle.width > 0)
            mouseClick(toggle)
            tryCompare(details, "visible", true)
            verify(details.text.indexOf("5.71 GiB") >= 0)
            mouseClick(retryCpu)
            compare(fake.retriedCount(), 1)
            compare(banner.visible, false)
        }

        function test_2_templateValidatedWhileTyping() {
            const field = findChild(settings, "templateField")
            const message = findChild(settings, "templateMessage")
            verify(field !== null && message !== null)
            compare(message.text, "Example: My Song/vocals.wav")
            field.forceActiveFocus()
            field.selectAll()
            keyClick(Qt.Key_Backspace)
            for (const ch of "{track}.{ext}")
                keyClick(ch)
            compare(app.settings.namingTemplate, "{track}.{ext}")
            verify(app.settings.namingError.length > 0)
            compare(message.text, app.settings.namingError)
            verify(!app.canStart)
            field.selectAll()
            keyClick(Qt.Key_Backspace)
            for (const ch of "{stem}.{ext}")
                keyClick(ch)
            compare(app.settings.namingError, "")
            compare(message.text, "Example: vocals.wav")
        }

        function test_3_queueListsJobsWithTheirActions() {
            const list = findChild(queue, "jobList")
            verify(list !== null)
            compare(list.count, 0)
            fake.addJob("/music/Song One.wav", "running", 0.25)
            fake.addJob("/music/Song Two.flac", "failed", 0)
            fake.addJob("/music/Song Three.wav", "done", 1)
            tryCompare(list, "count", 3)
            waitForRendering(list)
            const first = list.itemAtIndex(0)
            verify(first !== null)
            compare(first.fileName, "Song One.wav")
            compare(first.canCancel, true)
            compare(findChild(first, "stateLabel").text, "Separating 25%")
            const second = list.itemAtIndex(1)
            compare(second.canRetry, true)
            compare(second.canCancel, false)
            // The failed job is counted where the user sees it, not only in the list.
            compare(findChild(queue, "queueSummary").text, "0 ready · 1 in progress · 1 done · 1 failed")
        }

        function test_4_comboBoxesShowStoredValues() {
            const format = findChild(settings, "formatBox")
            compare(format.currentValue, app.settings.outputFormat)
            app.settings.outputFormat = "flac24"
            compare(format.currentValue, "flac24")
            const theme = findChild(settings, "themeBox")
            app.settings.theme = "dark"
            compare(theme.currentValue, "dark")
            app.settings.theme = "system"
        }

        function test_5_stemChoicePersists() {
            app.settings.setStemExported("drums", false)
            verify(app.settings.exportStems.indexOf("drums") < 0)
            verify(app.settings.exportStems.indexOf("vocals") >= 0)
        }

        function test_6_overlapFollowsTheModelUntilChosen() {
            const follow = findChild(settings, "overlapAutoBox")
            const box = findChild(settings, "overlapBox")
            verify(follow !== null && box !== null)
            compare(follow.checked, true) // the model's own overlap by default
            compare(box.visible, false)
            mouseClick(follow)
            compare(app.settings.overlapAuto, false)
            compare(box.visible, true)
            box.value = 6
            box.valueModified()
            compare(app.settings.overlap, 6)
            app.settings.overlapAuto = true // as stored: the box follows the setting
            compare(follow.checked, true)
            compare(box.visible, false)
            // The batch likewise: its number is shown only once the user sets one.
            const batchBox = findChild(settings, "batchBox")
            const batchAuto = app.settings.batchAuto
            app.settings.batchAuto = true
            compare(batchBox.visible, false)
            app.settings.batchAuto = false
            compare(batchBox.visible, true)
            app.settings.batchAuto = batchAuto
        }

        function test_7_softMasksFollowTheModelUntilTurnedOff() {
            const masks = findChild(settings, "softMasksBox")
            verify(masks !== null)
            compare(masks.checked, true) // the model's soft masks by default
            mouseClick(masks)
            compare(app.settings.softMasks, false)
            app.settings.softMasks = true // as stored: the box follows the setting
            compare(masks.checked, true)
        }

        function test_8_stereoFilterFollowsTheModelUntilTurnedOff() {
            const filter = findChild(settings, "stereoFilterBox")
            verify(filter !== null)
            compare(filter.checked, true) // the model's stereo filter by default
            mouseClick(filter)
            compare(app.settings.stereoFilter, false)
            app.settings.stereoFilter = true // as stored: the box follows the setting
            compare(filter.checked, true)
        }

        function test_9_extraPassesAreOffUntilTurnedOn() {
            const box = findChild(settings, "extraPassesBox")
            verify(box !== null)
            compare(box.checked, false) // test-time augmentation costs time: off by default
            mouseClick(box)
            compare(app.settings.extraPasses, true)
            app.settings.extraPasses = false // as stored: the box follows the setting
            compare(box.checked, false)
        }

        // Keyboard only: Tab into the models, the arrows move, Space or Enter chooses.
        function test_10_modelChosenFromTheKeyboard() {
            fake.addTwoModels()
            const list = findChild(modelPanel, "modelList")
            verify(list)
            compare(app.models.rowCount(), 2)
            app.models.currentIndex = 0
            list.forceActiveFocus()
            tryCompare(list, "currentIndex", 0)
            keyClick(Qt.Key_Down)
            compare(list.currentIndex, 1)
            compare(app.models.currentIndex, 0) // moving is not choosing
            keyClick(Qt.Key_Space)
            compare(app.models.currentIndex, 1)
            compare(app.models.currentName, "Beta")
            keyClick(Qt.Key_Up)
            keyClick(Qt.Key_Return)
            compare(app.models.currentName, "Alpha")
        }
    }
}
