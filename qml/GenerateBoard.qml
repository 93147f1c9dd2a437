import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CalendarStudio

// The Generate page's month grid: the cover and twelve months, each with
// its state (waiting, making the picture with the time so far, done, failed
// with what to do, refused with the service's reason and a hint to reword,
// answer lost), the chosen master large and every candidate as a thumbnail
// to pick from.
//
// C++ sets `board` (a GenerationBoardModel). Buttons that need a dialog
// (Regenerate…, Use My Photo…, the failure actions) are signals on the board.
Item {
    id: root

    property GenerationBoardModel board: null

    readonly property color ink: "#2b2925"
    readonly property color muted: "#6f6a62"
    readonly property int tileWidth: 250

    function stateColor(state) {
        switch (state) {
        case "running": return "#2f6db5"
        case "queued": return "#8a8578"
        case "retrying": return "#b5832f"
        case "done": return "#3f8a4f"
        case "failed": return "#b53f3f"
        case "refused": return "#a0522d"
        case "lost": return "#b5832f"
        default: return "#8a8578"
        }
    }
    function actionText(action) {
        switch (action) {
        case "keys": return qsTr("Image Services…")
        case "billing": return qsTr("Choose Another Service…")
        case "retry": return qsTr("Try Again")
        case "reword": return qsTr("Reword…")
        case "regenerate": return qsTr("Generate Again")
        default: return ""
        }
    }

    Rectangle {
        anchors.fill: parent
        color: "#f3efe8"
    }

    GridView {
        id: grid
        objectName: "monthGrid"
        anchors.fill: parent
        anchors.margins: 8
        clip: true
        model: root.board
        readonly property int columns: Math.max(1, Math.floor(width / root.tileWidth))
        cellWidth: Math.floor(width / columns)
        cellHeight: cellWidth + 150
        ScrollBar.vertical: ScrollBar {}
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Months")

        delegate: Item {
            id: tile
            required property int month
            required property string title
            required property string state
            required property string stateText
            required property string reason
            required property string hint
            required property string action
            required property var candidates
            required property string masterImageUrl
            required property string masterText
            required property bool building
            required property bool masterIsDraft

            width: grid.cellWidth
            height: grid.cellHeight
            Accessible.role: Accessible.ListItem
            Accessible.name: title + ", " + stateText

            Rectangle {
                anchors.fill: parent
                anchors.margins: 6
                radius: 6
                color: "white"
                border.color: tile.state === "failed" || tile.state === "refused" ? "#e0b4b4" : "#ddd6ca"

                ColumnLayout {
                    anchors.fill: parent
                    anchors.margins: 8
                    spacing: 4

                    Label {
                        Layout.fillWidth: true
                        text: tile.title
                        font.bold: true
                        elide: Text.ElideRight
                        color: root.ink
                    }
                    RowLayout {
                        spacing: 6
                        Rectangle {
                            width: 10; height: 10; radius: 5
                            color: root.stateColor(tile.state)
                        }
                        Label {
                            objectName: "stateText"
                            Layout.fillWidth: true
                            text: tile.stateText
                            color: root.muted
                            elide: Text.ElideRight
                        }
                        BusyIndicator {
                            visible: tile.state === "running" || tile.building
                            running: visible
                            implicitWidth: 18; implicitHeight: 18
                        }
                    }

                    Item {
                        Layout.fillWidth: true
                        Layout.preferredHeight: width // masters are square: show all of it
                        Rectangle {
                            anchors.fill: parent
                            color: "#ece7de"
                            radius: 4
                        }
                        Image {
                            id: masterThumb
                            anchors.fill: parent
                            source: tile.masterImageUrl
                            fillMode: Image.PreserveAspectCrop
                            asynchronous: true
                        }
                        // Never mistaken for a generated picture, whatever the size shown.
                        Label {
                            objectName: "draftBadge"
                            visible: tile.masterIsDraft
                            anchors.left: parent.left
                            anchors.top: parent.top
                            anchors.margins: 6
                            padding: 3
                            text: qsTr("Offline draft — not AI")
                            color: "white"
                            font.pixelSize: 11
                            background: Rectangle { color: "#b0000000"; radius: 3 }
                        }
                        Label {
                            anchors.centerIn: parent
                            visible: masterThumb.status !== Image.Ready
                            text: tile.building ? qsTr("Making the master…") : qsTr("No picture yet")
                            color: root.muted
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        text: tile.masterText
                        color: root.muted
                        font.pixelSize: 11
                        elide: Text.ElideRight
                    }

                    // Candidates: click one to make it this month's picture.
                    Flow {
                        Layout.fillWidth: true
                        spacing: 4
                        Repeater {
                            model: tile.candidates
                            delegate: Rectangle {
                                required property var modelData
                                required property int index
                                width: 40; height: 40
                                radius: 3
                                color: "#ece7de"
                                border.width: modelData.isMaster ? 3 : 1
                                border.color: modelData.isMaster ? "#2f6db5" : "#ccc4b6"
                                Accessible.role: Accessible.Button
                                Accessible.name: qsTr("Picture %1 of %2").arg(index + 1).arg(tile.candidates.length)
                                    + (modelData.isMaster ? qsTr(", chosen") : "")
                                Image {
                                    objectName: "candidateThumb"
                                    anchors.fill: parent
                                    anchors.margins: parent.border.width
                                    source: modelData.url
                                    fillMode: Image.PreserveAspectCrop
                                    sourceSize: Qt.size(80, 80)
                                    asynchronous: true
                                }
                                MouseArea {
                                    anchors.fill: parent
                                    cursorShape: Qt.PointingHandCursor
                                    onClicked: root.board.pick(modelData.id)
                                }
                                ToolTip.visible: hover.hovered
                                ToolTip.text: qsTr("%1, %2 — click to use").arg(modelData.provider).arg(modelData.native)
                                HoverHandler { id: hover }
                            }
                        }
                    }

                    Label {
                        objectName: "reason"
                        Layout.fillWidth: true
                        visible: tile.reason.length > 0
                        text: tile.reason
                        color: "#9a3030"
                        wrapMode: Text.Wrap
                        maximumLineCount: 3
                        elide: Text.ElideRight
                        font.pixelSize: 11
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: tile.hint.length > 0
                        text: tile.hint
                        color: root.muted
                        wrapMode: Text.Wrap
                        maximumLineCount: 3
                        elide: Text.ElideRight
                        font.pixelSize: 11
                    }
                    Item { Layout.fillHeight: true }
                    RowLayout {
                        Layout.fillWidth: true
                        spacing: 4
                        Button {
                            visible: tile.action.length > 0
                            text: root.actionText(tile.action)
                            onClicked: root.board.actionRequested(tile.month, tile.action)
                        }
                        Button {
                            visible: tile.action.length === 0 && tile.state !== "running" && tile.state !== "queued"
                                     && tile.state !== "retrying"
                            text: qsTr("Regenerate…")
                            onClicked: root.board.regenerateRequested(tile.month)
                        }
                        Button {
                            visible: tile.state !== "running" && tile.state !== "queued" && tile.state !== "retrying"
                            text: qsTr("My Photo…")
                            Accessible.name: qsTr("Use my own photo")
                            onClicked: root.board.ownPhotoRequested(tile.month)
                        }
                        Button {
                            visible: tile.state === "running" || tile.state === "queued" || tile.state === "retrying"
                            text: qsTr("Cancel")
                            onClicked: root.board.cancelMonth(tile.month)
                        }
                    }
                }
            }
        }
    }
}
