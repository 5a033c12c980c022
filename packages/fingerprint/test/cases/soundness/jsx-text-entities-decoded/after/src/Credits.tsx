export function Credits() {
  return <footer>Tom &#38; Jerry &#169; 1940 &#x2014; MGM</footer>
}
