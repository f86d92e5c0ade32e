; Fold a scene or a section to its heading; long blocks fold too.
[
  (section)
  (scene)
  (title_page)
  (dialogue_block)
  (boneyard)
] @fold
