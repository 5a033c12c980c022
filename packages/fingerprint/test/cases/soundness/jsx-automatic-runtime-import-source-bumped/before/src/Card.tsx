export function Card(props: { title: string, price: number }) {
  return (
    <section className="card">
      <h3>{props.title}</h3>
      <span className="price">${props.price}</span>
    </section>
  )
}
