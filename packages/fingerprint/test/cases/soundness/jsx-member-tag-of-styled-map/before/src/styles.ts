export function styled(tag: string, className: string) {
  return (props: { children?: unknown }) => ({ type: tag, props: { class: className, children: props.children } })
}

export const styles = {
  title: styled('h1', 'text-2xl'),
  body: styled('p', 'text-base'),
}
