import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import CalendarStudio

// The landing screen: start a new calendar, open one, or pick a recent one.
// C++ (MainWindow) connects to the three signals of the root item.
Rectangle {
    id: root

    signal newProjectRequested()
    signal openRequested()
    signal openRecentRequested(string path)

    // Re-reads the recent list; MainWindow calls it whenever the screen is shown.
    function refresh() {
        recentModel.refresh()
    }

    readonly property color ink: "#2b2925"
    readonly property color mutedInk: "#6f6a62"
    readonly property color accent: "#c2562f"
    readonly property color accentPressed: "#a44523"
    readonly property color card: "#ffffff"
    readonly property color hairline: "#e4dfd6"

    color: "#f5f2ec"

    RecentProjectsModel {
        id: recentModel
    }

    component BigButton: Button {
        id: control
        property bool primary: false

        implicitWidth: Math.max(200, contentItem.implicitWidth + 48)
        implicitHeight: 52
        font.pixelSize: 16
        font.weight: Font.DemiBold
        Keys.onReturnPressed: clicked()
        Keys.onEnterPressed: clicked()

        contentItem: Text {
            text: control.text
            font: control.font
            color: control.primary ? "#ffffff" : root.ink
            horizontalAlignment: Text.AlignHCenter
            verticalAlignment: Text.AlignVCenter
        }
        background: Rectangle {
            radius: 10
            color: control.primary ? (control.down ? root.accentPressed : root.accent)
                                   : (control.down ? "#ebe6dd" : root.card)
            border.width: control.visualFocus ? 3 : 1
            border.color: control.visualFocus ? "#3d7be0" : (control.primary ? root.accent : root.hairline)
        }
    }

    ColumnLayout {
        id: column
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.top: parent.top
        anchors.bottom: parent.bottom
        anchors.topMargin: Math.max(32, root.height * 0.1)
        anchors.bottomMargin: 32
        width: Math.min(root.width - 64, 680)
        spacing: 0

        Label {
            text: qsTr("Calendar Studio")
            color: root.ink
            font.pixelSize: 36
            font.weight: Font.Bold
            Layout.fillWidth: true
        }
        Label {
            text: qsTr("Turn a few selfies into a personal photo calendar: one picture for every month, ready to print.")
            color: root.mutedInk
            font.pixelSize: 16
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
            Layout.topMargin: 8
        }

        RowLayout {
            spacing: 16
            Layout.topMargin: 32
            BigButton {
                id: newButton
                objectName: "newButton"
                primary: true
                text: qsTr("New calendar…")
                focus: true
                onClicked: root.newProjectRequested()
            }
            BigButton {
                objectName: "openButton"
                text: qsTr("Open…")
                onClicked: root.openRequested()
            }
        }

        Label {
            text: qsTr("Recent calendars")
            color: root.ink
            font.pixelSize: 18
            font.weight: Font.DemiBold
            Layout.topMargin: 40
            Layout.bottomMargin: 12
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.maximumHeight: Math.max(recentList.contentHeight, emptyLabel.implicitHeight + 48) + 2
            radius: 12
            color: root.card
            border.color: root.hairline
            clip: true

            Label {
                id: emptyLabel
                visible: recentModel.count === 0
                anchors.centerIn: parent
                width: parent.width - 48
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
                text: qsTr("Calendars you create or open will be listed here.")
                color: root.mutedInk
                font.pixelSize: 14
            }

            ListView {
                id: recentList
                objectName: "recentList"
                anchors.fill: parent
                anchors.margins: 1
                model: recentModel
                activeFocusOnTab: true
                keyNavigationEnabled: true
                currentIndex: -1
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar { }

                onActiveFocusChanged: if (activeFocus && currentIndex < 0 && count > 0) currentIndex = 0
                Keys.onReturnPressed: if (currentItem) root.openRecentRequested(currentItem.projectPath)
                Keys.onEnterPressed: if (currentItem) root.openRecentRequested(currentItem.projectPath)
                Keys.onDeletePressed: if (currentItem) recentModel.remove(currentItem.projectPath)

                delegate: ItemDelegate {
                    id: row
                    required property int index
                    required property string path
                    required property string name
                    required property string folder
                    required property string modified
                    readonly property string projectPath: path

                    width: ListView.view.width
                    height: 64
                    focusPolicy: Qt.NoFocus
                    highlighted: ListView.isCurrentItem && ListView.view.activeFocus
                    onClicked: root.openRecentRequested(path)
                    Accessible.name: name
                    Accessible.description: folder

                    background: Rectangle {
                        color: row.highlighted ? "#f3e4dc" : (row.hovered ? "#f8f6f2" : "transparent")
                        Rectangle {
                            visible: row.index > 0
                            anchors.top: parent.top
                            anchors.left: parent.left
                            anchors.right: parent.right
                            anchors.leftMargin: 20
                            anchors.rightMargin: 20
                            height: 1
                            color: root.hairline
                        }
                    }

                    contentItem: RowLayout {
                        spacing: 12
                        ColumnLayout {
                            spacing: 2
                            Layout.fillWidth: true
                            Layout.leftMargin: 8
                            Label {
                                text: row.name
                                color: root.ink
                                font.pixelSize: 15
                                font.weight: Font.DemiBold
                                elide: Text.ElideRight
                                Layout.fillWidth: true
                            }
                            Label {
                                text: qsTr("%1  ·  changed %2").arg(row.folder).arg(row.modified)
                                color: root.mutedInk
                                font.pixelSize: 12
                                elide: Text.ElideMiddle
                                Layout.fillWidth: true
                            }
                        }
                        ToolButton {
                            objectName: "removeRecentButton"
                            text: "\u2715"
                            focusPolicy: Qt.NoFocus
                            font.pixelSize: 13
                            Layout.rightMargin: 4
                            ToolTip.visible: hovered
                            ToolTip.text: qsTr("Remove from this list (the file stays where it is)")
                            Accessible.name: qsTr("Remove %1 from recent calendars").arg(row.name)
                            onClicked: recentModel.remove(row.path)
                        }
                    }
                }
            }
        }

        Label {
            visible: recentModel.count > 0
            text: qsTr("Tab to the list, use the arrow keys and press Enter to open; Delete removes an entry.")
            color: root.mutedInk
            font.pixelSize: 12
            Layout.topMargin: 10
        }

        Item { Layout.fillHeight: true }
    }
}
