// Logger: what the buildpack tells the person reading a build log. The pipeline speaks in
// steps (Process), their details (Subprocess) and sub-details (Action); a renderer decides how
// that looks: Paketo's indentation for CNB builds, libbuildpack's "----->" for Cloud Foundry.
// Nothing passed to a Logger may contain a secret; URLs go through RedactUrl first.
#pragma once

#include <ostream>
#include <string_view>

#include "base/result.h"

namespace bp {

enum class LogLevel { kInfo, kDebug };

class Logger {
 public:
  virtual ~Logger() = default;
  virtual void Title(std::string_view text) = 0;       // the buildpack and its version
  virtual void Process(std::string_view text) = 0;     // a step
  virtual void Subprocess(std::string_view text) = 0;  // a detail of the step
  virtual void Action(std::string_view text) = 0;      // a detail of the detail
  virtual void Warning(std::string_view text) = 0;
  virtual void Debug(std::string_view text) = 0;  // shown only at LogLevel::kDebug
  virtual void Break() = 0;                       // a blank line between sections
  virtual void Failure(const Error& error) = 0;   // the one-line error that ends a run
  virtual bool debug() const = 0;
};

// Paketo layout: title at column 0, steps at 2, details at 4, sub-details at 6; errors to `err`.
class PaketoLogger : public Logger {
 public:
  PaketoLogger(std::ostream& out, std::ostream& err, LogLevel level)
      : out_(out), err_(err), level_(level) {}
  void Title(std::string_view text) override;
  void Process(std::string_view text) override;
  void Subprocess(std::string_view text) override;
  void Action(std::string_view text) override;
  void Warning(std::string_view text) override;
  void Debug(std::string_view text) override;
  void Break() override;
  void Failure(const Error& error) override;
  bool debug() const override { return level_ == LogLevel::kDebug; }

 private:
  std::ostream& out_;
  std::ostream& err_;
  LogLevel level_;
};

// libbuildpack layout: "-----> " headers and 7-space details, all on stdout.
class CfLogger : public Logger {
 public:
  CfLogger(std::ostream& out, LogLevel level) : out_(out), level_(level) {}
  void Title(std::string_view text) override;
  void Process(std::string_view text) override;
  void Subprocess(std::string_view text) override;
  void Action(std::string_view text) override;
  void Warning(std::string_view text) override;
  void Debug(std::string_view text) override;
  void Break() override {}
  void Failure(const Error& error) override;
  bool debug() const override { return level_ == LogLevel::kDebug; }

 private:
  std::ostream& out_;
  LogLevel level_;
};

// Returns the error as one line: "message; hint".
std::string OneLine(const Error& error);

}  // namespace bp
