; JSX elements name the components they use (JavaScript and TSX inherit this file).
(jsx_opening_element name: (identifier) @name) @reference.class
(jsx_self_closing_element name: (identifier) @name) @reference.class
