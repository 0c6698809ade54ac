#include "base/settings.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "base/url.h"
#include "testing/source_dir.h"

namespace bp {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

namespace fs = std::filesystem;

Env With(const std::string& name, const std::string& value) {
  Env env;
  env.Set(name, value);
  return env;
}

TEST(NormalizeDurationTest, GoDurationsAndBareSeconds) {
  EXPECT_EQ(NormalizeDuration("30"), "30s");
  EXPECT_EQ(NormalizeDuration("0"), "0s");
  EXPECT_EQ(NormalizeDuration("30s"), "30s");
  EXPECT_EQ(NormalizeDuration("1m30s"), "1m30s");
  EXPECT_EQ(NormalizeDuration("1.5h"), "1.5h");
  EXPECT_EQ(NormalizeDuration("500ms"), "500ms");
  for (const char* bad : {"", "-1s", "s", "1.5", "30 s", "1d", "1s2", "1e3s", "99999999999999s",
                          "10sx", "123456789012345678901234567890123s"}) {
    EXPECT_FALSE(NormalizeDuration(bad).has_value()) << bad;
  }
}

TEST(ReadBoolTest, UnsetIsTheFallback) {
  EXPECT_TRUE(Read(Env(), BoolSetting{"BP_X", true}).value());
}

TEST(ReadBoolTest, AcceptsAnyCase) {
  EXPECT_FALSE(Read(With("BP_X", " FALSE "), BoolSetting{"BP_X", true}).value());
}

TEST(ReadBoolTest, RejectsOtherWordsInTheSharedWording) {
  Result<bool> value = Read(With("BP_X", "yes"), BoolSetting{"BP_X", true});
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().kind, ErrorKind::kInvalidInput);
  EXPECT_EQ(value.error().message, "BP_X=\"yes\" is not true or false");
  EXPECT_EQ(value.error().hint, "set BP_X to true or false");
}

TEST(ReadBoolTest, OptionalFormTellsUnsetFromFalse) {
  EXPECT_FALSE(ReadOptional(Env(), BoolSetting{"BP_X", false}).value().has_value());
  EXPECT_EQ(ReadOptional(With("BP_X", "false"), BoolSetting{"BP_X", true}).value(),
            std::optional<bool>(false));
}

constexpr IntegerSetting kMemory{"BP_MEM", 64, 16, 65536, "MB"};

TEST(ReadIntegerTest, AcceptsTheUnitInAnyCase) {
  EXPECT_EQ(Read(With("BP_MEM", "96"), kMemory).value(), 96);
  EXPECT_EQ(Read(With("BP_MEM", "128m"), kMemory).value(), 128);
  EXPECT_EQ(Read(With("BP_MEM", "256MB"), kMemory).value(), 256);
}

TEST(ReadIntegerTest, RejectsValuesOutsideTheRange) {
  Result<long> value = Read(With("BP_MEM", "8"), kMemory);
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().message, "BP_MEM=\"8\" is not a whole number from 16 to 65536 (MB)");
  EXPECT_EQ(value.error().hint, "set BP_MEM to a whole number from 16 to 65536 (MB), e.g. 64");
}

TEST(ReadIntegerTest, RejectsOtherUnits) { EXPECT_FALSE(Read(With("BP_MEM", "1G"), kMemory).ok()); }

constexpr DurationSetting kTimeout{"BP_T", std::chrono::seconds(30)};

TEST(ReadDurationTest, UnsetIsTheFallback) {
  EXPECT_EQ(Read(Env(), kTimeout).value(), std::chrono::seconds(30));
}

TEST(ReadDurationTest, RejectsZeroAndTooLong) {
  for (const char* bad : {"0", "3601", "-1", "1.5", "ten"}) {
    Result<std::chrono::seconds> value = Read(With("BP_T", bad), kTimeout);
    ASSERT_FALSE(value.ok()) << bad;
    EXPECT_EQ(value.error().message,
              "BP_T=\"" + std::string(bad) + "\" is not a number of seconds");
    EXPECT_EQ(value.error().hint, "set BP_T to a whole number from 1 to 3600");
  }
}

TEST(ReadAddressTest, AcceptsHostPortFormsKeepingTheText) {
  const struct {
    const char* text;
    const char* host;
    int port;
  } cases[] = {{"127.0.0.1:2379", "127.0.0.1", 2379},
               {":2379", "", 2379},
               {"[::1]:02379", "::1", 2379},
               {"localhost:1", "localhost", 1}};
  for (const auto& c : cases) {
    Result<std::optional<ListenAddress>> value =
        Read(With("BPL_A", c.text), AddressSetting{"BPL_A"});
    ASSERT_TRUE(value.ok()) << c.text;
    EXPECT_EQ(value.value()->text, c.text);
    EXPECT_EQ(value.value()->address.host, c.host);
    EXPECT_EQ(value.value()->address.port, c.port);
  }
}

TEST(ReadAddressTest, RejectsUrlsAndMissingPorts) {
  for (const char* bad : {"http://0.0.0.0:2379", "127.0.0.1", "127.0.0.1:2379/x", "u@h:1"}) {
    Result<std::optional<ListenAddress>> value = Read(With("BPL_A", bad), AddressSetting{"BPL_A"});
    ASSERT_FALSE(value.ok()) << bad;
    EXPECT_EQ(value.error().message, "BPL_A=\"" + RedactUrl(bad) + "\" is not a host:port address");
  }
}

TEST(ReadAddressTest, CredentialsInARefusedAddressAreNeverShown) {
  Result<std::optional<ListenAddress>> value =
      Read(With("BPL_A", "http://user:S3CRET@127.0.0.1:2379"), AddressSetting{"BPL_A"});
  ASSERT_FALSE(value.ok());
  EXPECT_EQ(value.error().message,
            "BPL_A=\"http://***@127.0.0.1:2379\" is not a host:port address");
}

TEST(ReadListTest, TrimsAndDropsEmptyItems) {
  EXPECT_THAT(Read(With("BPL_L", " a, ,b ,"), ListSetting{"BPL_L"}).value(), ElementsAre("a", "b"));
}

TEST(ReadListTest, BlankIsUnset) {
  EXPECT_FALSE(Read(With("BPL_L", "  "), ListSetting{"BPL_L"}).has_value());
}

// --- The table against buildpack.toml, the README and the code -------------------------------

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

const fs::path kSource = testing::SourceDir();

// name -> identifier, from the declarations in settings.h.
std::map<std::string, std::string> DeclaredSettings() {
  const std::string text = Slurp(kSource / "src/base/settings.h");
  // clang-format may break a long declaration after its opening brace.
  const std::regex declaration(R"re(inline constexpr \w+Setting (k\w+)\{\s*"([A-Z0-9_]+)")re");
  std::map<std::string, std::string> declared;
  for (std::sregex_iterator it(text.begin(), text.end(), declaration), end; it != end; ++it) {
    declared[(*it)[2]] = (*it)[1];
  }
  return declared;
}

std::set<std::string> Names(const std::map<std::string, std::string>& declared) {
  std::set<std::string> names;
  for (const auto& [name, id] : declared) names.insert(name);
  return names;
}

std::set<std::string> BuildpackTomlSettings() {
  std::istringstream lines(Slurp(kSource / "buildpack.toml"));
  const std::regex name_line(R"re(^\s*name\s*=\s*"([^"]+)")re");
  std::set<std::string> names;
  bool in_configuration = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.find('[') != std::string::npos && line.find("=") == std::string::npos) {
      in_configuration = line.find("[[metadata.configurations]]") != std::string::npos;
    }
    std::smatch match;
    if (in_configuration && std::regex_search(line, match, name_line)) names.insert(match[1]);
  }
  return names;
}

// Every `BP_…`/`BPL_…` in the first cell of a README table row ("BP_X_<HOST>" families excluded).
// A cell may shorten a second name to its tail: "`BPL_ETCD_PROXY_LISTEN_CERT` / `_LISTEN_KEY`".
std::set<std::string> ReadmeSettings() {
  std::istringstream lines(Slurp(kSource / "README.md"));
  const std::regex name(R"(`(BPL?_[A-Z0-9_]+|_[A-Z0-9_]+)`)");
  std::set<std::string> names;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("| `BP", 0) != 0) continue;
    const std::string first_cell = line.substr(0, line.find('|', 1));
    std::string first;
    for (std::sregex_iterator it(first_cell.begin(), first_cell.end(), name), end; it != end;
         ++it) {
      const std::string found = (*it)[1];
      if (found[0] != '_') {
        if (first.empty()) first = found;
        names.insert(found);
        continue;
      }
      // The tail replaces the first name's part from the tail's first word on.
      const size_t word_end = found.find('_', 1);
      const size_t at = first.find(found.substr(0, word_end));
      names.insert(at == std::string::npos ? found : first.substr(0, at) + found);
    }
  }
  return names;
}

std::vector<fs::path> ProductSources() {
  std::vector<fs::path> files;
  for (const fs::directory_entry& entry : fs::recursive_directory_iterator(kSource / "src")) {
    const std::string name = entry.path().filename().string();
    const bool source = entry.path().extension() == ".cc" || entry.path().extension() == ".h";
    if (!source || name.find("_test.") != std::string::npos ||
        entry.path().parent_path().filename() == "testing") {
      continue;
    }
    files.push_back(entry.path());
  }
  return files;
}

bool IsNameChar(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; }
bool IsIdentifierChar(char c) { return IsNameChar(c) || (c >= 'a' && c <= 'z'); }

// Returns `text` without its // comments (a "//" after ':' is a URL, not a comment).
std::string WithoutComments(const std::string& text) {
  std::string kept;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    for (size_t at = line.find("//"); at != std::string::npos; at = line.find("//", at + 2)) {
      if (at == 0 || line[at - 1] == ' ') {
        line.resize(at);
        break;
      }
    }
    kept += line + "\n";
  }
  return kept;
}

// Returns the X of every settings::X in `text`.
std::set<std::string> UsedDeclarations(const std::string& text) {
  std::set<std::string> used;
  const std::string marker = "settings::";
  for (size_t at = text.find(marker); at != std::string::npos; at = text.find(marker, at + 1)) {
    size_t end = at + marker.size();
    while (end < text.size() && IsIdentifierChar(text[end])) ++end;
    used.insert(text.substr(at + marker.size(), end - at - marker.size()));
  }
  return used;
}

// Returns every string literal of `text` that is exactly a setting name: "BP_X" or "BPL_X".
std::vector<std::string> SettingLiterals(const std::string& text) {
  std::vector<std::string> found;
  for (size_t at = text.find("\"BP"); at != std::string::npos; at = text.find("\"BP", at + 1)) {
    size_t end = at + 1;
    while (end < text.size() && IsNameChar(text[end])) ++end;
    const std::string name = text.substr(at + 1, end - at - 1);
    const bool prefix_ok = name.rfind("BP_", 0) == 0 || name.rfind("BPL_", 0) == 0;
    if (end < text.size() && text[end] == '"' && prefix_ok && name.back() != '_')
      found.push_back(name);
  }
  return found;
}

std::vector<std::string> Difference(const std::set<std::string>& a,
                                    const std::set<std::string>& b) {
  std::vector<std::string> only_a;
  std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(only_a));
  return only_a;
}

TEST(SettingsTableTest, DeclaresSettings) { EXPECT_GE(DeclaredSettings().size(), 10u); }

TEST(SettingsTableTest, EveryDeclaredSettingIsInBuildpackToml) {
  EXPECT_THAT(Difference(Names(DeclaredSettings()), BuildpackTomlSettings()), IsEmpty())
      << "add a [[metadata.configurations]] entry to buildpack.toml";
}

TEST(SettingsTableTest, BuildpackTomlListsOnlyDeclaredSettings) {
  EXPECT_THAT(Difference(BuildpackTomlSettings(), Names(DeclaredSettings())), IsEmpty())
      << "declare it in src/base/settings.h (and read it), or drop it from buildpack.toml";
}

TEST(SettingsTableTest, EveryDeclaredSettingIsInTheReadme) {
  EXPECT_THAT(Difference(Names(DeclaredSettings()), ReadmeSettings()), IsEmpty())
      << "add a row to a settings table of README.md";
}

TEST(SettingsTableTest, TheReadmeListsOnlyDeclaredSettings) {
  EXPECT_THAT(Difference(ReadmeSettings(), Names(DeclaredSettings())), IsEmpty())
      << "declare it in src/base/settings.h (and read it), or drop the README row";
}

TEST(SettingsTableTest, EveryDeclaredSettingIsRead) {
  std::set<std::string> used;
  for (const fs::path& file : ProductSources()) {
    if (file.filename() == "settings.h") continue;
    const std::set<std::string> in_file = UsedDeclarations(WithoutComments(Slurp(file)));
    used.insert(in_file.begin(), in_file.end());
  }
  std::vector<std::string> unread;
  for (const auto& [name, id] : DeclaredSettings()) {
    if (used.count(id) == 0) unread.push_back(name);
  }
  EXPECT_THAT(unread, IsEmpty()) << "no code uses settings::k… for these";
}

TEST(SettingsTableTest, NoSettingIsReadAroundTheTable) {
  // A setting's bare name as a string literal means it is read without its declaration.
  std::vector<std::string> found;
  for (const fs::path& file : ProductSources()) {
    if (file.filename() == "settings.h") continue;
    for (const std::string& name : SettingLiterals(WithoutComments(Slurp(file)))) {
      found.push_back(file.filename().string() + ": " + name);
    }
  }
  EXPECT_THAT(found, IsEmpty()) << "read settings through src/base/settings.h";
}

}  // namespace
}  // namespace bp
