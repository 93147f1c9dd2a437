# The Prompts step (PromptsPage) and its theme picker; included by ui/CMakeLists.txt.
target_sources(calstudio_ui PRIVATE
    promptlistdelegate.h promptlistdelegate.cpp
    promptspage.h promptspage.cpp
    themedialog.h themedialog.cpp
)
