-- pandoc Lua filter for the doc-drift workflow: the documentation site
-- renders a long purpose as several paragraphs (or a list) inside one table
-- cell, which GitHub markdown cannot hold, so pandoc would fall back to a
-- raw HTML table that portspec does not read. This filter folds every cell
-- into one line of inline text, so each table comes out as a pipe table.
local function flatten(cell)
  local inlines = pandoc.utils.blocks_to_inlines(cell.contents, { pandoc.Space() })
  cell.contents = { pandoc.Plain(inlines) }
end

local function rows(list)
  for _, row in ipairs(list) do
    for _, cell in ipairs(row.cells) do
      flatten(cell)
    end
  end
end

function Table(tbl)
  rows(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do
    rows(body.head)
    rows(body.body)
  end
  rows(tbl.foot.rows)
  -- Column widths make pandoc choose a grid or HTML table: drop them.
  for i, spec in ipairs(tbl.colspecs) do
    tbl.colspecs[i] = { spec[1], nil }
  end
  return tbl
end
