# cmake -P script: one man page per subcommand of resample, plus resample.1, from their --help.
# Inputs: HELP2MAN, RESAMPLE (the executable), CLI_TREE (resample_cli_tree), VERSION, OUTPUT_DIR.
# help2man names a page after the program it runs, so each subcommand gets a small wrapper
# script called resample-NAME that runs `resample NAME`.
file(MAKE_DIRECTORY ${OUTPUT_DIR})
set(wrappers ${OUTPUT_DIR}/../wrappers)
file(MAKE_DIRECTORY ${wrappers})
execute_process(COMMAND ${CLI_TREE} subcommands OUTPUT_VARIABLE listing RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "resample_cli_tree subcommands failed: ${status}")
endif()
# One "NAME<TAB>DESCRIPTION" line per subcommand, read once into two lists.
string(REPLACE "\n" ";" lines "${listing}")
set(names "")
set(descriptions "")
set(see_also "")
foreach(line IN LISTS lines)
  if(line STREQUAL "")
    continue()
  endif()
  string(FIND "${line}" "\t" tab)
  string(SUBSTRING "${line}" 0 ${tab} name)
  math(EXPR start "${tab} + 1")
  string(SUBSTRING "${line}" ${start} -1 description)
  list(APPEND names "${name}")
  list(APPEND descriptions "${description}")
  list(APPEND see_also "resample-${name}(1)")
endforeach()
list(JOIN see_also ", " see_also_text)
file(WRITE ${wrappers}/see-also.h2m "[SEE ALSO]\nresample(1), ${see_also_text}\n\nThe data set of `resample report` is in share/resample of the installation, or in the directory \$RESAMPLE_DATA_DIR names.\n")

function(make_page program name description)
  execute_process(
    COMMAND ${HELP2MAN} --no-info --no-discard-stderr --version-string=${VERSION} --section=1
            --name=${description} --include=${wrappers}/see-also.h2m --output=${OUTPUT_DIR}/${name}.1
            ${program}
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "help2man failed for ${name}: ${status}")
  endif()
endfunction()

make_page(${RESAMPLE} resample "exact and Monte Carlo resampling for paired before/after data")
foreach(name description IN ZIP_LISTS names descriptions)
  set(wrapper ${wrappers}/resample-${name})
  file(WRITE ${wrapper} "#!/bin/sh\nexec '${RESAMPLE}' ${name} \"$@\"\n")
  file(CHMOD ${wrapper} PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  make_page(${wrapper} resample-${name} "${description}")
endforeach()
