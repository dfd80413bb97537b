BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $fixtures = @(@{ Fixture = 'case-a' }, @{ Fixture = 'case-b' })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
}

Describe 'Optimize-Fusion' {
    It 'on <Fixture>, finds a setting at least as good as every fixed run of the manifest, and it reproduces exactly' -ForEach $fixtures {
        $manifest = Get-Content (Join-Path $DataRoot "$Fixture/manifest.json") -Raw | ConvertFrom-Json
        $gt = Join-Path $DataRoot "$Fixture/gt.json"
        $detections = Import-Detection ($manifest.models | ForEach-Object { Join-Path $DataRoot "$Fixture/$($_.file)" })
        $trials = $detections | Optimize-Fusion -GroundTruth $gt -ImageInfo $gt
        $best = $trials[0]
        $best.Rank | Should -Be 1
        $trials.Score | Should -Be ($trials.Score | Sort-Object -Descending)
        foreach ($run in $manifest.runs) { $best.AP | Should -BeGreaterOrEqual $run.cocoStats[0] -Because "the fixed run $($run.name) scores $($run.cocoStats[0])" }
        foreach ($model in $manifest.models) { $best.AP | Should -BeGreaterOrEqual $model.cocoStats[0] }
        $p = $best.Parameters
        $again = $detections | Merge-Detection @p -ImageInfo $gt -WarningAction SilentlyContinue | Measure-Detection -GroundTruth $gt
        $again.Stats | Should -Be $best.Stats
    }

    It 'on the bundled sample, beats the best single model and default WBF, and reports folds' {
        $sample = Join-Path $DataRoot 'sample'
        $gt = Join-Path $sample 'gt.json'
        $detections = Import-Detection ('yolox', 'cascade', 'detr' | ForEach-Object { Join-Path $sample "$_.json" })
        $single = ($detections | Measure-Detection -GroundTruth $gt -GroupBy Model | Measure-Object AP -Maximum).Maximum
        $default = ($detections | Merge-Detection -ImageInfo $gt | Measure-Detection -GroundTruth $gt).AP
        $trials = $detections | Optimize-Fusion -GroundTruth $gt -ImageInfo $gt -Method WBF, NMW -Folds 3 -MaxTrials 40
        $trials.Count | Should -BeLessOrEqual 40
        $trials[0].AP | Should -BeGreaterThan $single
        $trials[0].AP | Should -BeGreaterOrEqual $default
        $trials[0].FoldScores.Count | Should -Be 3
        $trials[0].Score | Should -Be (($trials[0].FoldScores | Measure-Object -Average).Average)
        $trials[0].Spread | Should -BeGreaterThan 0
        $global:BoxFusionTrials.Count | Should -Be $trials.Count
        ($trials | Format-Table | Out-String) | Should -Match 'Rank\s+Method\s+IoU'
    }

    It 'ranks by another metric, honours -MaxTrials and -NoWeightSearch' {
        $caseA = Join-Path $DataRoot 'case-a'
        $trials = Import-Detection (Join-Path $caseA 'model*.json') |
            Optimize-Fusion -GroundTruth (Join-Path $caseA 'gt.json') -Metric AP50 -MaxTrials 12 -NoWeightSearch -Method NMS, WBF
        $trials.Count | Should -Be 12
        $trials[0].Score | Should -Be $trials[0].Stats[1]
        $trials | ForEach-Object { $_.Weights | Should -Be 1, 1, 1 }
    }

    It 'stops at -TimeBudget with the trials finished so far' {
        $sample = Join-Path $DataRoot 'sample'
        $detections = Import-Detection ('yolox', 'cascade', 'detr' | ForEach-Object { Join-Path $sample "$_.json" })
        # A full search here runs about 80 trials; one trial takes far longer than the 1 ms budget, so the search stops after it.
        $trials = $detections | Optimize-Fusion -GroundTruth (Join-Path $sample 'gt.json') -TimeBudget '00:00:00.001'
        $trials.Count | Should -BeGreaterThan 0
        $trials.Count | Should -BeLessThan 5
        $trials[0].Rank | Should -Be 1
    }
}
