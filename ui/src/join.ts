// What a failed join tells the person, chosen by the core's stable error
// code (never by its English message): the passphrase that does not open
// the invite, a passphrase that cannot be HQ's, a file that is not an
// invite or cannot be read. Each says that nothing was created.
import type { ApiFailure } from "./api";
import type { T } from "./i18n";

export interface JoinProblem {
  /** The form field the problem belongs under; null: above the button. */
  field: "path" | "passphrase" | null;
  text: string;
}

export function joinErrorText(f: ApiFailure, t: T): JoinProblem {
  switch (f.code) {
    case "unauthorized":
      return { field: null, text: t("first.error.unauthorized") };
    case "invalid_input":
      return f.field === "passphrase"
        ? { field: "passphrase", text: t("first.error.passphrase_form") }
        : { field: "path", text: t("first.error.invalid", { message: f.message }) };
    case "rejected":
      return { field: "path", text: t("first.error.not_invite") };
    case "io":
      return { field: "path", text: t("first.error.unreadable", { message: f.message }) };
    case "already_initialised":
      return { field: null, text: t("first.error.already") };
    default:
      return { field: null, text: t("common.error", { message: f.message }) };
  }
}
