export function Credits() {
  return <footer>Tom &amp; Jerry &copy; 1940 &mdash; MGM</footer>
}
