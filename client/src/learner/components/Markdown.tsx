import ReactMarkdown from 'react-markdown'

const ALLOWED = ['p', 'strong', 'em', 'ul', 'ol', 'li', 'br', 'a', 'code', 'blockquote']

/** Teacher-written or content Markdown: bold, italic, lists, links, line breaks. Raw HTML is dropped, never rendered. */
export function Markdown({ text, className }: { text: string; className?: string }) {
  // A single newline is a line break, as teachers type it (the seed's landing texts).
  const source = text.replace(/([^\n])\n(?!\n)/g, '$1  \n')
  return (
    <div className={className}>
      <ReactMarkdown
        skipHtml
        allowedElements={ALLOWED}
        unwrapDisallowed
        components={{
          a: ({ href, children }) => (
            <a href={href} target="_blank" rel="noopener noreferrer">
              {children}
            </a>
          ),
        }}
      >
        {source}
      </ReactMarkdown>
    </div>
  )
}
