export default function CampaignFormPage({ mode }: { mode: 'create' | 'edit' | 'duplicate' }) {
  return <h1>{mode}</h1>
}
