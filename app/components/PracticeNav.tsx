import { NavLink } from "@remix-run/react";
import { titleCase } from "~/utils/format";

const SECTIONS = [
  { to: "", label: "Overview" },
  { to: "/devices", label: "Devices" },
  { to: "/telephony", label: "Telephony" },
  { to: "/services", label: "Clinical system and digital services" },
  { to: "/sites", label: "Sites and connectivity" },
  { to: "/assessment", label: "Assessment" },
  { to: "/compliance", label: "Compliance" },
  { to: "/paper", label: "Paper and carbon" },
  { to: "/security", label: "Data security" },
  { to: "/contracts", label: "Contracts" },
  { to: "/gaps", label: "Gaps" },
];

/** Heading and sub-navigation shared by a practice's pages. */
export function PracticeHeader({ ods, name, section, caption }: { ods: string; name: string; section?: string; caption?: string }) {
  return (
    <>
      <span className="nhsuk-caption-l">{caption ?? `${titleCase(name)} (${ods})`}</span>
      {section ? <h1>{section}</h1> : null}
      <nav aria-label="Practice sections" className="app-subnav">
        <ul className="app-subnav__list">
          {SECTIONS.map((s) => (
            <li key={s.to} className="app-subnav__item">
              <NavLink
                to={`/practices/${ods}${s.to}`}
                end={s.to === ""}
                className={({ isActive }) => `app-subnav__link${isActive ? " app-subnav__link--current" : ""}`}
              >
                {s.label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
    </>
  );
}
