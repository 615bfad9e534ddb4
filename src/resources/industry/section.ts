// The `industry` section: the two template-message industries, as codes.
import { problemAt, type RuleProblem } from "../../config/issues.js";
import { asObject, type Loose } from "../../config/loose.js";
import { INDUSTRIES } from "../../wechat/rules.js";

export interface DesiredIndustry {
  primary: number;
  secondary: number;
}

declare module "../kind.js" {
  interface DesiredSections {
    industry?: DesiredIndustry;
  }
}

export function checkIndustry(file: Readonly<Loose>): RuleProblem[] {
  const fields = asObject(file.industry);
  if (!fields) return [];
  const problems: RuleProblem[] = [];
  for (const slot of ["primary", "secondary"] as const) {
    const code = fields[slot];
    if (typeof code === "number" && !INDUSTRIES[code]) {
      problems.push(
        problemAt(["industry", slot], `unknown industry code ${code}: WeChat's codes are 1 to ${Object.keys(INDUSTRIES).length} (see wxconf's README)`),
      );
    }
  }
  if (typeof fields.primary === "number" && fields.primary === fields.secondary) {
    problems.push(problemAt(["industry", "secondary"], "the secondary industry must differ from the primary one"));
  }
  return problems;
}

export function industryFromFile(file: Readonly<Loose>): { industry?: DesiredIndustry } {
  const industry = file.industry as DesiredIndustry | undefined;
  return industry ? { industry: { primary: industry.primary, secondary: industry.secondary } } : {};
}
