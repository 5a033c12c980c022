import { motion } from './motion'

export function Toast({ text }: { text: string }) {
  return <motion.div animate={{ opacity: 1, y: 0 }}>{text}</motion.div>
}
