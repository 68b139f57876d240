/** A shipped report template (reports/FORMAT.hbs) compiled ahead of time, and the text it was compiled from. */
export interface PrecompiledReport {
  text: string;
  spec: TemplateSpecification;
}

/**
 * The shipped report templates precompiled. None here: the build of the CLI bundle
 * (scripts/bundle.mjs) puts them in its copy of this module (precompileReport), so a bundled
 * run renders without compiling handlebars, from code in the bundle's code cache. A template
 * is used only while its file still holds the text it was compiled from (render.ts).
 */
export const precompiledReports: Readonly<Partial<Record<'text' | 'markdown' | 'html', PrecompiledReport>>> = {};
