// The defuser on its own: every dangerous first character, quoted cells, escaped quotes, line
// breaks inside quotes, CRLF records, and what it refuses.
#include <catch2/catch.hpp>

#include "csv_formula.h"

using csv_formula::defuse;

TEST_CASE("cells starting with = + - @ TAB or CR get a leading apostrophe") {
  const auto result = defuse("a,=1+1,+2,-3,@SUM(A1),\tx,\ry,ok\n");
  REQUIRE(result.ok);
  CHECK(result.output == "a,'=1+1,'+2,'-3,'@SUM(A1),'\tx,'\ry,ok\n");
  CHECK(result.cells_changed == 6);
}

TEST_CASE("quoted cells get the apostrophe inside the quotes and escaped quotes and newlines survive") {
  const auto result = defuse("\"=HYPERLINK(\"\"http://x\"\")\",\"safe \"\"q\"\"\",\"multi\nline\"\r\n\"-1\",2\r\n");
  REQUIRE(result.ok);
  CHECK(result.output == "\"'=HYPERLINK(\"\"http://x\"\")\",\"safe \"\"q\"\"\",\"multi\nline\"\r\n\"'-1\",2\r\n");
  CHECK(result.cells_changed == 2);
}

TEST_CASE("CRLF line ends are not formulas and the first cell of each record is checked") {
  const auto result = defuse("x,y\r\n=cmd|' /C calc'!A0,z\r\n");
  REQUIRE(result.ok);
  CHECK(result.output == "x,y\r\n'=cmd|' /C calc'!A0,z\r\n");
  CHECK(result.cells_changed == 1);
}

TEST_CASE("harmless CSV passes unchanged and empty cells are fine") {
  const auto result = defuse("name,amount\n田中,1200\n,,\n");
  REQUIRE(result.ok);
  CHECK(result.output == "name,amount\n田中,1200\n,,\n");
  CHECK(result.cells_changed == 0);
}

TEST_CASE("an unterminated quote or a NUL byte is refused with a reason") {
  CHECK_FALSE(defuse("a,\"open\n").ok);
  CHECK(defuse("a,\"open\n").error == "unterminated quoted cell");
  const auto nul = defuse(std::string_view("a,b\0c", 5));
  CHECK_FALSE(nul.ok);
  CHECK(nul.error.find("NUL") != std::string::npos);
}
