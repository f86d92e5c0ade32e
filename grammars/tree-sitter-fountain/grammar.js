/**
 * @file Fountain 1.1 screenplay grammar (https://fountain.io/syntax).
 *
 * Fountain is line based and context sensitive: a character cue is an all-caps line with a
 * blank line before it and a non-blank line after it, a transition needs blank lines around it.
 * The external scanner (src/scanner.c) classifies each line at the start of an element and
 * tells a line break inside a paragraph (`_line_end`) from one that ends it (`_paragraph_end`).
 * The grammar only arranges those tokens, so every decision is made with one token of lookahead.
 *
 * Elements nest under their scene and scenes under sections, so that an edit invalidates one
 * scene of the tree rather than a flat list of every element.
 */

/* eslint-disable arrow-parens, camelcase */

module.exports = grammar({
  name: 'fountain',

  externals: $ => [
    $._line_end,
    $._paragraph_end,
    $._title_continuation,
    $._title_line_end,
    $._title_page_end,
    $._blank_line,
    $._title_page_start,
    $.title_key,
    $._scene_heading_start,
    $._forced_action_start,
    $._character_start,
    $.character_name,
    $.character_extension,
    $.dual_dialogue_marker,
    $.parenthetical,
    $._transition_start,
    $._centered_start,
    $._centered_end,
    $._lyrics_start,
    $.section_marker,
    $._synopsis_start,
    $.page_break,
    $.scene_number,
    $.note,
    $.boneyard,
    $._italic_open,
    $._italic_close,
    $._bold_open,
    $._bold_close,
    $._bold_italic_open,
    $._bold_italic_close,
    $._underline_open,
    $._underline_close,
    $._nul_text,
    $._error_sentinel,
  ],

  // A byte order mark is skipped wherever it stands; whitespace is content in Fountain.
  extras: $ => [$.boneyard, /\uFEFF/],

  rules: {
    document: $ => seq(
      optional($.title_page),
      repeat($._element),
      repeat(choice($.scene, $.section)),
    ),

    // Title page: `Key: value` lines, values continued on indented lines, ended by a blank line.
    // Its line breaks are tokens of their own, so that the scanner knows it is on a title page
    // even after a reparse reuses a finished field.
    title_page: $ => seq(
      $._title_page_start,
      $.title_field,
      repeat(seq($._title_line_end, $.title_field)),
      $._title_page_end,
    ),

    title_field: $ => seq(
      $.title_key,
      optional(seq(':', optional($.title_value))),
      repeat(seq($._title_continuation, $.title_value)),
    ),

    title_value: $ => repeat1($._inline),

    section: $ => prec.right(seq(
      $.section_heading,
      $._eol,
      repeat($._element),
      repeat($.scene),
    )),

    section_heading: $ => seq($.section_marker, repeat($._inline)),

    scene: $ => prec.right(seq(
      $.scene_heading,
      $._eol,
      repeat($._element),
    )),

    scene_heading: $ => seq(
      $._scene_heading_start,
      repeat($._inline),
      optional($.scene_number),
    ),

    _element: $ => choice(
      seq($.action, $._paragraph_end),
      seq($.dialogue_block, $._paragraph_end),
      seq(
        choice($.transition, $.centered, $.lyrics, $.synopsis, $.page_break),
        $._eol,
      ),
      $._blank_line,
    ),

    _eol: $ => choice($._line_end, $._paragraph_end),

    // Action runs until a blank line; its lines keep their indentation and tabs.
    action: $ => seq(
      choice(
        seq($._forced_action_start, repeat($._inline)),
        repeat1($._inline),
      ),
      repeat(seq($._line_end, repeat1($._inline))),
    ),

    // Lyrics are always forced, so a `~` line under a cue is sung rather than spoken.
    dialogue_block: $ => seq(
      $.character,
      repeat1(seq($._line_end, choice($.parenthetical, $.lyrics, $.dialogue))),
    ),

    character: $ => seq(
      $._character_start,
      $.character_name,
      repeat($.character_extension),
      optional($.dual_dialogue_marker),
    ),

    dialogue: $ => repeat1($._inline),

    transition: $ => seq($._transition_start, repeat1($._inline)),

    centered: $ => seq($._centered_start, repeat($._inline), $._centered_end),

    lyrics: $ => seq($._lyrics_start, repeat($._inline)),

    synopsis: $ => seq($._synopsis_start, repeat($._inline)),

    // Inline content: text, escapes, notes and the four kinds of emphasis.
    _inline: $ => choice(
      $._text,
      $._nul_text,
      $.escape,
      $.note,
      $.italic,
      $.bold,
      $.bold_italic,
      $.underline,
    ),

    // Stops before every character that may open an inline node, so the scanner sees it first.
    _text: _ => token(choice(
      /[^\n\r*_\\\[\/<#]+/,
      /[*_\\\[\/<#\r]/,
    )),

    escape: _ => token(seq('\\', /[^\n\r]/)),

    italic: $ => seq(
      alias($._italic_open, '*'), repeat1($._inline), alias($._italic_close, '*'),
    ),

    bold: $ => seq(
      alias($._bold_open, '**'), repeat1($._inline), alias($._bold_close, '**'),
    ),

    bold_italic: $ => seq(
      alias($._bold_italic_open, '***'), repeat1($._inline), alias($._bold_italic_close, '***'),
    ),

    underline: $ => seq(
      alias($._underline_open, '_'), repeat1($._inline), alias($._underline_close, '_'),
    ),
  },
});
