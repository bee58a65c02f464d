// Rewrites the column reference of a docs page (docs/results-format.md) from the column table,
// between its markers; with no argument prints it.
#include <fstream>
#include <iostream>
#include <sstream>

#include "io/column_reference.hpp"

int main(int argc, char** argv) {
  const std::string reference = gs::render_column_reference();
  if (argc < 2) {
    std::cout << reference;
    return 0;
  }
  std::ifstream in(argv[1]);
  std::ostringstream text;
  text << in.rdbuf();
  const std::string page = text.str();
  const std::size_t begin = page.find(gs::kColumnReferenceBegin);
  const std::string end_marker = std::string(gs::kColumnReferenceEnd) + "\n";
  const std::size_t end = page.find(end_marker);
  if (begin == std::string::npos || end == std::string::npos) {
    std::cerr << "io_column_reference: error: " << argv[1] << ": no column reference markers\n";
    return 2;
  }
  std::ofstream(argv[1]) << page.substr(0, begin) << reference
                         << page.substr(end + end_marker.size());
  return 0;
}
