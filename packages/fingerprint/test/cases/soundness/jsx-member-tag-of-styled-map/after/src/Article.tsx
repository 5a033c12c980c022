import { styles } from './styles'

export function Article(props: { title: string, body: string }) {
  return (
    <article>
      <styles.title>{props.title}</styles.title>
      <styles.body>{props.body}</styles.body>
    </article>
  )
}
