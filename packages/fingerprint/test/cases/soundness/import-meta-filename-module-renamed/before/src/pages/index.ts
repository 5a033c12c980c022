export { route } from './about'
