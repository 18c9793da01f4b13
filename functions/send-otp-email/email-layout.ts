import { html } from './html.js'
import type { Html } from './html.js'

/** What the layout places; words arrive translated, colours and URLs validated. */
export interface EmailLayoutSlots {
  lang: string
  dir: 'ltr' | 'rtl'
  title: string
  preheader: string
  /** Validated hex colour for the card's top edge. */
  accentColor: string
  productName: string
  logoUrl?: string
  heading: string
  intro: Html
  code: string
  details: Html
  /** A block under the details, such as a verification link (rendered by its own feature). */
  action?: Html
  ignoreNote: string
  support?: Html
  footer?: string
}

const font = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"

const codeStyle = [
  'font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace',
  'font-size:32px',
  'font-weight:700',
  'letter-spacing:0.3em',
  'padding:12px 16px',
  'background:#f3f4f6',
  'color:#111827',
  'border-radius:8px',
  'display:inline-block',
  'user-select:all',
  '-webkit-user-select:all',
].join(';')

/**
 * The one HTML layout of the mail: a centred card of at most 480 px on a grey page, built from
 * presentation tables and inline styles (what mail clients render alike), with `lang` and `dir`
 * on the document and every block, so that a right-to-left mail mirrors. The code stays
 * left-to-right in its own box. Everything embedded goes through {@link html}, so it is escaped.
 */
export function emailLayout(slots: EmailLayoutSlots): Html {
  const { dir, accentColor } = slots
  // Mail clients ignore `text-align:start`; name the side.
  const start = dir === 'rtl' ? 'right' : 'left'
  const block = `${font};text-align:${start};color:#111827`
  const brand = slots.logoUrl
    ? html`<img
        src="${slots.logoUrl}"
        alt="${slots.productName}"
        height="40"
        style="display:block;height:40px;max-width:240px;border:0"
      />`
    : html`<strong style="font-size:18px">${slots.productName}</strong>`
  return html`<!DOCTYPE html>
    <html lang="${slots.lang}" dir="${dir}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        <title>${slots.title}</title>
      </head>
      <body style="margin:0;padding:0;background:#f5f6f8">
        <div style="display:none;max-height:0;overflow:hidden;opacity:0">${slots.preheader}</div>
        <table
          role="presentation"
          width="100%"
          cellpadding="0"
          cellspacing="0"
          border="0"
          style="background:#f5f6f8"
        >
          <tr>
            <td align="center" style="padding:24px 12px">
              <table
                role="presentation"
                width="100%"
                cellpadding="0"
                cellspacing="0"
                border="0"
                dir="${dir}"
                style="max-width:480px;background:#ffffff;border:1px solid #e2e5ea;border-top:4px solid ${accentColor};border-radius:12px"
              >
                <tr>
                  <td dir="${dir}" style="padding:28px 28px 0;${block}">${brand}</td>
                </tr>
                <tr>
                  <td
                    dir="${dir}"
                    style="padding:20px 28px 28px;${block};font-size:16px;line-height:1.5"
                  >
                    <h1 style="margin:0 0 12px;font-size:20px;line-height:1.3">${slots.heading}</h1>
                    <p style="margin:0 0 12px">${slots.intro}</p>
                    <p dir="ltr" style="margin:0 0 16px;text-align:${start}">
                      <span style="${codeStyle}">${slots.code}</span>
                    </p>
                    <p style="margin:0 0 16px">${slots.details}</p>
                    ${slots.action ?? ''}
                    <p style="margin:0;font-size:14px;color:#4b5563">${slots.ignoreNote}</p>
                  </td>
                </tr>
              </table>
              <table
                role="presentation"
                width="100%"
                cellpadding="0"
                cellspacing="0"
                border="0"
                dir="${dir}"
                style="max-width:480px"
              >
                <tr>
                  <td
                    dir="${dir}"
                    style="padding:16px 28px;${font};text-align:center;font-size:13px;line-height:1.5;color:#4b5563"
                  >
                    ${slots.support ? html`<p style="margin:0 0 4px">${slots.support}</p>` : ''}
                    ${slots.footer ? html`<p style="margin:0">${slots.footer}</p>` : ''}
                  </td>
                </tr>
              </table>
            </td>
          </tr>
        </table>
      </body>
    </html> `
}
