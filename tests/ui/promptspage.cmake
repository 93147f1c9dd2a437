# Drives the Prompts page and its theme dialog offscreen over a real project.
calstudio_add_test(ui promptspage LIBRARIES calstudio_ui calstudio_project TIMEOUT 180)
