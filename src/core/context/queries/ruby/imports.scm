(call method: (identifier) @_m arguments: (argument_list . (string)) (#match? @_m "^(require|require_relative|load)$")) @import
