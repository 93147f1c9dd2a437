import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CalendarStudio

// A live preview of the calendar's pages: the cover and the twelve months,
// painted by the same composer as the printed pages. Previous/Next, the
// arrow keys, PageUp/PageDown, Home and End page through them; paging stops
// at the cover and at the last month.
//
// C++ sets `model` (a CalendarPreviewModel kept in step with the project).
FocusScope {
    id: root

    property CalendarPreviewModel model: null
    property int pageIndex: 0
    readonly property int pageCount: model ? model.pageCount : 13
    // Reading model.revision makes the label follow year and start-month changes.
    readonly property string pageLabel: qsTr("Page %1 of %2 — %3")
        .arg(pageIndex + 1).arg(pageCount)
        .arg(model && model.revision >= 0 ? model.pageName(pageIndex) : "")

    readonly property color ink: "#2b2925"
    readonly property color muted: "#6f6a62"

    function next() {
        if (pageIndex < pageCount - 1)
            pageIndex += 1
    }
    function previous() {
        if (pageIndex > 0)
            pageIndex -= 1
    }
    // Shows the page of `date` (a JS Date or "2027-10-03"), if the calendar includes it.
    function showDate(date) {
        if (!model)
            return
        const page = model.pageOfDate(date)
        if (page > 0)
            pageIndex = page
    }

    focus: true
    activeFocusOnTab: true
    Accessible.role: Accessible.Pane
    Accessible.name: qsTr("Page preview")
    Accessible.description: pageLabel

    Keys.onPressed: function(event) {
        switch (event.key) {
        case Qt.Key_Right:
        case Qt.Key_PageDown:
            root.next()
            break
        case Qt.Key_Left:
        case Qt.Key_PageUp:
            root.previous()
            break
        case Qt.Key_Home:
            root.pageIndex = 0
            break
        case Qt.Key_End:
            root.pageIndex = root.pageCount - 1
            break
        default:
            return
        }
        event.accepted = true
    }

    Rectangle {
        anchors.fill: parent
        color: "#e9e4dc"
        border.color: root.activeFocus ? "#c2562f" : "transparent"
        border.width: 2
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8

        CalendarPagePreview {
            id: page
            objectName: "pagePreview"
            Layout.fillWidth: true
            Layout.fillHeight: true
            model: root.model
            pageIndex: root.pageIndex

            MouseArea {
                anchors.fill: parent
                // A click gives the preview the keyboard, so the arrow keys page at once.
                onClicked: root.forceActiveFocus()
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 10

            Button {
                id: previousButton
                objectName: "previousButton"
                text: qsTr("‹ Previous")
                enabled: root.pageIndex > 0
                focusPolicy: Qt.NoFocus
                onClicked: root.previous()
            }
            Label {
                id: label
                objectName: "pageLabel"
                Layout.fillWidth: true
                horizontalAlignment: Text.AlignHCenter
                elide: Text.ElideRight
                color: root.ink
                text: root.pageLabel
            }
            Button {
                id: nextButton
                objectName: "nextButton"
                text: qsTr("Next ›")
                enabled: root.pageIndex < root.pageCount - 1
                focusPolicy: Qt.NoFocus
                onClicked: root.next()
            }
        }
    }
}
