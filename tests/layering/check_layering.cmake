# cmake -DSOURCE_DIR=… -DLINKS_FILE=… -DQTCORE_INCLUDE_DIR=… -P check_layering.cmake
# Fails when a core source includes, or a core target links, Widgets, Quick,
# Qml or WebEngine; when a core target links a core library the dependency
# table below does not allow; or when core/commerce uses more than QtCore.
cmake_minimum_required(VERSION 3.25) # script mode: today's policies (if(IN_LIST))
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

# OpenCV and libvips stay inside core/imaging: no other core source includes them.
foreach(f IN LISTS sources)
    if(NOT f MATCHES "/imaging/")
        file(STRINGS "${f}" hits REGEX "#[ \t]*include[ \t]*[<\"](opencv2/|vips/)")
        foreach(h IN LISTS hits)
            string(APPEND failures "  ${f}: ${h} (OpenCV/libvips belong to core/imaging only)\n")
        endforeach()
    endif()
endforeach()

# core/commerce is shared with the shop's headless companion server: QtCore,
# core/common and itself only — no QtGui, OpenCV, libvips or other core library.
# Qt headers are checked against QtCore's own include directory.
foreach(f IN LISTS sources)
    if(NOT f MATCHES "/commerce/")
        continue()
    endif()
    file(STRINGS "${f}" includes REGEX "^#[ \t]*include[ \t]*[<\"]")
    foreach(inc IN LISTS includes)
        if(inc MATCHES "[<\"](core/[a-z]+)/" AND NOT CMAKE_MATCH_1 MATCHES "^core/(common|commerce)$")
            string(APPEND failures "  ${f}: ${inc} (core/commerce may use core/common only)\n")
        elseif(inc MATCHES "<(Qt[A-Za-z]*)/" AND NOT CMAKE_MATCH_1 STREQUAL "QtCore")
            string(APPEND failures "  ${f}: ${inc} (core/commerce may use QtCore only)\n")
        elseif(inc MATCHES "<(Q[A-Za-z0-9_]*)>")
            if(NOT QTCORE_INCLUDE_DIR OR NOT EXISTS "${QTCORE_INCLUDE_DIR}/${CMAKE_MATCH_1}")
                string(APPEND failures "  ${f}: ${inc} (not a QtCore header; core/commerce may use QtCore only)\n")
            endif()
        endif()
    endforeach()
endforeach()

# The dependency table: which core libraries each core library may link
# (docs/ARCHITECTURE.md, "Libraries and the dependency rule"; no cycles).
# A new core library gets a row here.
set(allowed_calstudio_common "")
set(allowed_calstudio_commerce calstudio_common)
set(allowed_calstudio_calendar calstudio_common)
set(allowed_calstudio_imaging calstudio_common calstudio_commerce)
set(allowed_calstudio_project calstudio_common calstudio_commerce calstudio_calendar calstudio_imaging)
set(allowed_calstudio_generation calstudio_common calstudio_commerce calstudio_calendar calstudio_imaging
    calstudio_project)
set(allowed_calstudio_companion calstudio_common calstudio_commerce)
# Everything (not only core libraries) core/commerce may link.
set(allowed_all_calstudio_commerce calstudio_common Qt6::Core)

file(STRINGS "${LINKS_FILE}" link_lines)
if(NOT link_lines)
    message(FATAL_ERROR "no core targets listed in ${LINKS_FILE}")
endif()
foreach(line IN LISTS link_lines)
    if(line MATCHES "${forbidden_links}")
        string(APPEND failures "  links ${CMAKE_MATCH_0}: ${line}\n")
    endif()
    # Only calstudio_imaging may link OpenCV or libvips (and only PRIVATE, so it never appears in another line).
    if(NOT line MATCHES "^calstudio_imaging:" AND line MATCHES "(opencv_[a-z]+|PkgConfig::VIPS)")
        string(APPEND failures "  ${CMAKE_MATCH_0} outside core/imaging: ${line}\n")
    endif()

    if(NOT line MATCHES "^([A-Za-z0-9_]+): (.*)$")
        string(APPEND failures "  unreadable link line: ${line}\n")
        continue()
    endif()
    set(target "${CMAKE_MATCH_1}")
    set(items "${CMAKE_MATCH_2}")
    if(NOT DEFINED allowed_${target})
        string(APPEND failures "  ${target} is not in the dependency table of tests/layering/check_layering.cmake\n")
        continue()
    endif()
    foreach(item IN LISTS items)
        # $<LINK_ONLY:x> is a PRIVATE dependency of a static library; other
        # generator expressions are Qt's resource object files.
        if(item MATCHES "^\\$<LINK_ONLY:([^>]+)>$")
            set(item "${CMAKE_MATCH_1}")
        elseif(item MATCHES "^\\$<" OR item MATCHES "^calstudio_[a-z]+_resources_[0-9]+$")
            continue()
        endif()
        if(item MATCHES "^calstudio_" AND NOT item STREQUAL target AND NOT item IN_LIST allowed_${target})
            string(APPEND failures "  ${target} links ${item}, which the dependency table does not allow\n")
        endif()
        if(DEFINED allowed_all_${target} AND NOT item IN_LIST allowed_all_${target})
            string(APPEND failures "  ${target} links ${item}; it may link only ${allowed_all_${target}}\n")
        endif()
    endforeach()
endforeach()

if(failures)
    message(FATAL_ERROR "core/ breaks the layering rules:\n${failures}")
endif()
list(LENGTH sources n)
message(STATUS "layering ok: ${n} core sources, core link interfaces clean")
