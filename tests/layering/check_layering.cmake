# cmake -DSOURCE_DIR=… -DLINKS_FILE=… -P check_layering.cmake
# Fails when a core source includes, or a core target links, Widgets, Quick,
# Qml or WebEngine.
set(forbidden_includes "#[ \t]*include[ \t]*[<\"](QtWidgets|QtQuick[A-Za-z]*|QtQml|QtWebEngine[A-Za-z]*|QWidget|QApplication|QQuick[A-Za-z]*|QQml[A-Za-z]*|QWebEngine[A-Za-z]*|QMainWindow|QDialog)")
set(forbidden_links "Qt6?::(Widgets|Quick[A-Za-z0-9]*|Qml[A-Za-z]*|WebEngine[A-Za-z]*)")

set(failures "")
file(GLOB_RECURSE sources "${SOURCE_DIR}/*.h" "${SOURCE_DIR}/*.cpp")
if(NOT sources)
    message(FATAL_ERROR "no sources found under ${SOURCE_DIR}")
endif()
foreach(f IN LISTS sources)
    file(STRINGS "${f}" hits REGEX "${forbidden_includes}")
    foreach(h IN LISTS hits)
        string(APPEND failures "  ${f}: ${h}\n")
    endforeach()
endforeach()

file(STRINGS "${LINKS_FILE}" link_lines)
if(NOT link_lines)
    message(FATAL_ERROR "no core targets listed in ${LINKS_FILE}")
endif()
foreach(line IN LISTS link_lines)
    if(line MATCHES "${forbidden_links}")
        string(APPEND failures "  links ${CMAKE_MATCH_0}: ${line}\n")
    endif()
endforeach()

if(failures)
    message(FATAL_ERROR "core/ must not depend on Widgets, Quick, Qml or WebEngine:\n${failures}")
endif()
list(LENGTH sources n)
message(STATUS "layering ok: ${n} core sources, core link interfaces clean")
