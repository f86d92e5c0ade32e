; Fountain highlights. Capture names follow the shared convention of Neovim, Helix and Zed.

; Title page
(title_key) @property
(title_value) @string

; Structure
(section_marker) @punctuation.special
(section_heading) @markup.heading
(synopsis) @comment.documentation
(scene_heading) @markup.heading
(scene_number) @label
(page_break) @punctuation.special
(transition) @keyword

; Dialogue
(character_name) @constant
(character_extension) @attribute
(dual_dialogue_marker) @operator
(parenthetical) @string.special
(dialogue) @string
(lyrics) @string @markup.italic

(centered) @markup.quote

; Inline markup
(italic) @markup.italic
(bold) @markup.strong
(bold_italic) @markup.strong @markup.italic
(underline) @markup.underline
(escape) @string.escape
["*" "**" "***" "_"] @punctuation.delimiter
":" @punctuation.delimiter

; Text the script will not show
(note) @comment.note
(boneyard) @comment
