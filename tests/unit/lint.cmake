# src/lint: every rule of data/lint/*.txt against its hit: and ok: messages.
set(HS_LINT_CASES ${CMAKE_CURRENT_BINARY_DIR}/lint_cases.c)
file(GLOB HS_LINT_CASE_DATA CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/data/lint/*.txt)
add_custom_command(
  OUTPUT ${HS_LINT_CASES}
  COMMAND ${Python3_EXECUTABLE} ${PROJECT_SOURCE_DIR}/tools/gen_lint.py --cases
          ${PROJECT_SOURCE_DIR}/data/lint ${HS_LINT_CASES}
  DEPENDS ${PROJECT_SOURCE_DIR}/tools/gen_lint.py ${HS_LINT_CASE_DATA}
  COMMENT "Generating lint test cases from data/lint/*.txt"
  VERBATIM)
add_executable(test_lint test_lint.c ${HS_LINT_CASES})
target_include_directories(test_lint PRIVATE ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(test_lint PRIVATE hs_lint)
add_test(NAME lint COMMAND test_lint)
