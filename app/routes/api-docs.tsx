import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { docsView } from "~/modules/api/docs-view";
import { openApiDocument } from "~/modules/api/openapi.server";
import { PROBLEM_TITLES, problemType } from "~/modules/api/problem";
import { requireUser } from "~/modules/auth/session.server";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Estate API – GP digital estate" }];

/** The API reference, rendered from the OpenAPI document itself, for anyone signed in. */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  await requireUser(request);
  const origin = new URL(request.url).origin;
  const problems = Object.entries(PROBLEM_TITLES).map(([status, title]) => ({
    status,
    title,
    anchor: problemType(Number(status)).split("#")[1],
  }));
  return { ...docsView(openApiDocument()), origin, problems };
});

export default function ApiDocs() {
  const { title, version, description, operations, schemas, origin, problems } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>
        {title} <span className="nhsuk-caption-l">Version {version}</span>
      </h1>
      <p>{description}</p>
      <p>
        Make a token on <Link to="/account/tokens">your account page</Link>. The machine-readable description is at{" "}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1), for code generators and tools like Postman.
      </p>
      <h2>Example</h2>
      <pre className="app-code">
        <code>{`curl -H "Authorization: Bearer $TOKEN" "${origin}/api/v1/practices/F84003/devices?status=all&limit=50"`}</code>
      </pre>
      <nav className="nhsuk-contents-list" aria-label="Operations">
        <h2 className="nhsuk-u-visually-hidden">Contents</h2>
        <ol className="nhsuk-contents-list__list">
          {Object.keys(operations).map((tag) => (
            <li className="nhsuk-contents-list__item" key={tag}>
              <a className="nhsuk-contents-list__link" href={`#tag-${tag.replace(/\W+/g, "-")}`}>
                {tag}
              </a>
            </li>
          ))}
          <li className="nhsuk-contents-list__item">
            <a className="nhsuk-contents-list__link" href="#errors">
              Errors
            </a>
          </li>
          <li className="nhsuk-contents-list__item">
            <a className="nhsuk-contents-list__link" href="#schemas">
              Schemas
            </a>
          </li>
        </ol>
      </nav>
      {Object.entries(operations).map(([tag, ops]) => (
        <section key={tag}>
          <h2 id={`tag-${tag.replace(/\W+/g, "-")}`}>{tag}</h2>
          {ops.map((op) => (
            <div key={op.id} className="nhsuk-card">
              <div className="nhsuk-card__content">
                <h3 className="nhsuk-card__heading" id={`op-${op.id}`}>
                  <strong className="nhsuk-tag nhsuk-tag--blue">{op.method}</strong> <code>{op.path}</code>
                </h3>
                <p className="nhsuk-card__description">{op.summary}</p>
                {op.description ? <p>{op.description}</p> : null}
                {op.params.length ? (
                  <table className="nhsuk-table">
                    <caption className="nhsuk-table__caption nhsuk-table__caption--s">Parameters</caption>
                    <thead className="nhsuk-table__head">
                      <tr>
                        <th scope="col">Name</th>
                        <th scope="col">In</th>
                        <th scope="col">Type</th>
                        <th scope="col">Description</th>
                      </tr>
                    </thead>
                    <tbody className="nhsuk-table__body">
                      {op.params.map((p) => (
                        <tr key={`${p.in}-${p.name}`}>
                          <td>
                            <code>{p.name}</code>
                            {p.required ? " (required)" : ""}
                          </td>
                          <td>{p.in}</td>
                          <td>{p.type}</td>
                          <td>{p.description}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : null}
                {op.body ? (
                  <p>
                    Body (JSON): <a href={`#schema-${op.body}`}>{op.body}</a>
                  </p>
                ) : null}
                <dl className="nhsuk-summary-list">
                  {op.responses.map((r) => (
                    <div className="nhsuk-summary-list__row" key={r.status}>
                      <dt className="nhsuk-summary-list__key">{r.status}</dt>
                      <dd className="nhsuk-summary-list__value">
                        {r.description}
                        {r.type ? <span className="nhsuk-body-s app-muted"> ({r.type})</span> : null}
                      </dd>
                    </div>
                  ))}
                </dl>
              </div>
            </div>
          ))}
        </section>
      ))}
      <h2 id="errors">Errors</h2>
      <p>
        Every error is a problem details object (RFC 9457, <code>application/problem+json</code>): <code>status</code>, <code>title</code>,
        a plain <code>detail</code>, and for invalid input an <code>errors</code> list, each with a JSON <code>pointer</code> to the value
        at fault (for a devices push, <code>/devices/3/asset_tag</code> is the fourth device's asset tag).
      </p>
      <dl className="nhsuk-summary-list">
        {problems.map((p) => (
          <div className="nhsuk-summary-list__row" key={p.status} id={p.anchor}>
            <dt className="nhsuk-summary-list__key">{p.status}</dt>
            <dd className="nhsuk-summary-list__value">{p.title}</dd>
          </div>
        ))}
      </dl>
      <h2 id="schemas">Schemas</h2>
      {schemas.map((s) => (
        <section key={s.name}>
          <h3 id={`schema-${s.name}`}>{s.name}</h3>
          {s.description ? <p>{s.description}</p> : null}
          {s.properties.length ? (
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">{s.name} fields</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">Field</th>
                  <th scope="col">Type</th>
                  <th scope="col">Description</th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {s.properties.map((p) => (
                  <tr key={p.name}>
                    <td>
                      <code>{p.name}</code>
                      {p.required ? " (required)" : ""}
                    </td>
                    <td>{p.type}</td>
                    <td>{p.description}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </section>
      ))}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
