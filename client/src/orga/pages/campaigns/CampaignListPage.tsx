export default function CampaignListPage() {
  return <h1>CampaignListPage</h1>
}
