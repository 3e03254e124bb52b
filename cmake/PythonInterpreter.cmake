# Which python3 the build uses, decided once before any find_package(Python3).
#
# scripts/install-deps.sh installs the Python modules the project needs (numpy, pytest, jsonschema,
# statsmodels, pandas) as Debian packages, i.e. for /usr/bin/python3. The first python3 on PATH is
# often another interpreter (pyenv, conda, a venv) without them: CI's machine has pyenv's first,
# which once left the Python package's tests unregistered and failed the statsmodels comparison.
# So, unless Python3_EXECUTABLE is given, the first candidate that can import them is used: the
# python3 on PATH, then Debian's. Neither importing them, CMake's own search decides as before.
if(NOT DEFINED Python3_EXECUTABLE)
  set(RESAMPLE_PYTHON_MODULES "numpy, pytest, jsonschema, statsmodels")
  find_program(RESAMPLE_PATH_PYTHON NAMES python3 NO_CACHE)
  foreach(candidate IN ITEMS "${RESAMPLE_PATH_PYTHON}" /usr/bin/python3)
    if(candidate AND EXISTS "${candidate}")
      execute_process(COMMAND "${candidate}" -c "import ${RESAMPLE_PYTHON_MODULES}"
                      RESULT_VARIABLE import_failed OUTPUT_QUIET ERROR_QUIET)
      if(NOT import_failed)
        set(Python3_EXECUTABLE "${candidate}" CACHE FILEPATH
            "The python3 of the Python package and the Python tests (cmake/PythonInterpreter.cmake)")
        message(STATUS "resample: python3 is ${candidate} (imports ${RESAMPLE_PYTHON_MODULES})")
        break()
      endif()
    endif()
  endforeach()
  if(NOT DEFINED Python3_EXECUTABLE)
    message(STATUS "resample: no python3 imports ${RESAMPLE_PYTHON_MODULES} "
                   "(scripts/install-deps.sh installs them); CMake's search chooses the interpreter")
  endif()
endif()
