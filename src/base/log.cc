#include "base/log.h"

#include <string>

#include "base/strings.h"

namespace bp {

namespace {

// Writes each line of `text` behind `prefix`, so multi-line text keeps its indentation.
void WriteLines(std::ostream& out, std::string_view prefix, std::string_view text) {
  while (true) {
    const size_t eol = text.find('\n');
    const std::string_view line = text.substr(0, eol);
    if (line.empty()) {
      out << '\n';
    } else {
      out << prefix << line << '\n';
    }
    if (eol == std::string_view::npos) break;
    text.remove_prefix(eol + 1);
  }
  out.flush();
}

}  // namespace

std::string OneLine(const Error& error) {
  std::string line = error.message;
  if (!error.hint.empty()) line += "; " + error.hint;
  // The last line of defence for the terminal: values are quoted (escaped) where they enter a
  // message; anything that slipped through still cannot move the cursor or start a new line.
  std::string shown;
  shown.reserve(line.size());
  for (const char c : line) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n' || c == '\r') {
      shown += ' ';
    } else if ((byte < 0x20 && c != '\t') || byte == 0x7f) {
      shown += EscapeControl(std::string_view(&c, 1));
    } else {
      shown += c;
    }
  }
  return shown;
}

void PaketoLogger::Title(std::string_view text) { WriteLines(out_, "", text); }
void PaketoLogger::Process(std::string_view text) { WriteLines(out_, "  ", text); }
void PaketoLogger::Subprocess(std::string_view text) { WriteLines(out_, "    ", text); }
void PaketoLogger::Action(std::string_view text) { WriteLines(out_, "      ", text); }
void PaketoLogger::Warning(std::string_view text) { WriteLines(out_, "    Warning: ", text); }
void PaketoLogger::Break() {
  out_ << '\n';
  out_.flush();
}

void PaketoLogger::Debug(std::string_view text) {
  if (level_ == LogLevel::kDebug) WriteLines(out_, "    [debug] ", text);
}

void PaketoLogger::Failure(const Error& error) {
  err_ << "ERROR: " << OneLine(error) << '\n';
  err_.flush();
}

void CfLogger::Title(std::string_view text) { WriteLines(out_, "-----> ", text); }
void CfLogger::Process(std::string_view text) { WriteLines(out_, "-----> ", text); }
void CfLogger::Subprocess(std::string_view text) { WriteLines(out_, "       ", text); }
void CfLogger::Action(std::string_view text) { WriteLines(out_, "       ", text); }
void CfLogger::Warning(std::string_view text) { WriteLines(out_, "       **WARNING** ", text); }

void CfLogger::Debug(std::string_view text) {
  if (level_ == LogLevel::kDebug) WriteLines(out_, "       DEBUG: ", text);
}

void CfLogger::Failure(const Error& error) {
  out_ << "       **ERROR** " << OneLine(error) << '\n';
  out_.flush();
}

}  // namespace bp
