#include "clients/cli/csv.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace riskledger::cli {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(CsvTest, ReadsQuotedCellsAsSpreadsheetsWriteThem) {
  auto records = ParseCsv(
      "\xEF\xBB\xBF" "a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\n,,\n");
  ASSERT_TRUE(records.ok()) << records.status();
  ASSERT_EQ(records->size(), 3u);
  EXPECT_THAT((*records)[0].cells, ElementsAre("a", "b", "c"));
  EXPECT_THAT((*records)[1].cells, ElementsAre("x, y", "say \"hi\"", "two\nlines"));
  EXPECT_EQ((*records)[1].line, 2);
  EXPECT_THAT((*records)[2].cells, ElementsAre("", "", ""));
  EXPECT_EQ((*records)[2].line, 5);  // after the quoted line break and a blank line
}

TEST(CsvTest, TheLastLineNeedsNoLineEnd) {
  auto records = ParseCsv("a,b\n1,2");
  ASSERT_TRUE(records.ok());
  EXPECT_THAT((*records)[1].cells, ElementsAre("1", "2"));
}

TEST(CsvTest, MalformedQuotesAreErrorsNamingTheLine) {
  EXPECT_THAT(std::string(ParseCsv("a\n\"open").status().message()),
              HasSubstr("line 2: a quoted cell is not closed"));
  EXPECT_THAT(std::string(ParseCsv("a\nx\"y\n").status().message()),
              HasSubstr("line 2: a quote inside an unquoted cell"));
  EXPECT_THAT(std::string(ParseCsv("a\n\"x\"y\n").status().message()),
              HasSubstr("line 2: text after a quoted cell"));
}

}  // namespace
}  // namespace riskledger::cli
