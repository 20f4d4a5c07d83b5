"""Content: the YAML files read strictly into the typed model.

``yamlload`` (YAML -> located nodes) -> ``fields`` (typed, declarative fields) ->
``format`` (every key of every content file: the single definition of the format) ->
``loader`` (find the files, load them, build the model) -> ``model`` (plain data).
``wording`` says the model's quantities and dates in the words readers expect.
"""
