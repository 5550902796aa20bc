// Removes what a part's XML says about relationships that were removed, so nothing points at a
// missing relationship (Office calls that a corrupt file and offers "repair"). Elements that
// exist only to point at the removed target go entirely (w:attachedTemplate, externalReference,
// ActiveX w:control / control, OLE o:OLEObject / oleObject, p:oleObj with its graphic frame,
// sheet entries of removed macro sheets, w:altChunk, chart c:externalData); elsewhere the r:*
// attribute is dropped (a hyperlink keeps its text, a linked picture its frame). Containers left
// empty (controls, oleObjects, externalReferences, mc:AlternateContent) are removed after them.
#pragma once

#include <libxml/tree.h>

#include <cstddef>
#include <set>
#include <string>

namespace mugai::sanitizers::ooxml {

struct CleanupCount {
  std::size_t elements = 0;
  std::size_t attributes = 0;
};

CleanupCount remove_references(xmlDoc* doc, const std::set<std::string>& removed_ids);

}  // namespace mugai::sanitizers::ooxml
