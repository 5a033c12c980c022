function Button(props: { kind?: string, children?: unknown }) {
  return <button class={`btn btn-${props.kind ?? 'default'}`}>{props.children}</button>
}

function Icon(props: { name: string }) {
  return <i aria-label={props.name}>*</i>
}

export const Ui = { Button, Icon }
