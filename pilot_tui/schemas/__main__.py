"""`python -m pilot_tui.schemas`: writes the schemas generated from the records now into the
package's folder (in a source checkout), after a record has changed."""

from pilot_tui.schemas import write

for path in write():
    print(f"wrote {path}")
