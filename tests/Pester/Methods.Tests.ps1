BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    Import-ModuleUnderTest
    $caseA = Join-Path $DataRoot 'case-a'
    $models = 1..3 | ForEach-Object { Join-Path $caseA "model$_.json" }
    $gt = Join-Path $caseA 'gt.json'
    $all = Import-Detection $models
    function Box($model, $x, $score, $category = 1, $image = 1) {
        [BoxFusion.Detection]::new([long]$image, $category, $score, $x, 0, 10, 10, $model)
    }
}

Describe 'ensemble-boxes defects that BoxFusion does not copy' {
    It 'a model with weight 0 contributes nothing and nothing becomes NaN (<_>)' -ForEach 'WBF', 'NMS', 'SoftNMS', 'NMW' {
        $fused = $all | Merge-Detection -Method $_ -Weight 1, 0, 1 -ImageInfo $gt
        $fused.Count | Should -BeGreaterThan 0
        $fused | Where-Object { [double]::IsNaN($_.X) -or [double]::IsNaN($_.Score) } | Should -BeNullOrEmpty
        $fused.SourceModels | Select-Object -Unique | Should -Not -Contain 'model2'
    }

    It 'negative and non-finite weights are parameter errors' -ForEach @(-1, [double]::NaN, [double]::PositiveInfinity) {
        { $all | Merge-Detection -Weight 1, $_, 1 -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidWeight,BoxFusion.Commands.MergeDetectionCommand' -ExpectedMessage "*model2*"
    }

    It 'NMS yields nothing for an image that has no usable box, instead of crashing' {
        $flat = [BoxFusion.Detection]::new([long]5, 1, 0.9, 10, 10, 0, 20, 'm')
        @($flat, (Box 'm' 0 0.8 1 6)) | Merge-Detection -Method NMS | ForEach-Object ImageId | Should -Be 6
    }

    It 'warns once, with the count and the remedy, when Avg with unequal weights exceeds 1' {
        $fused = $all | Merge-Detection -Weight 1, 1, 0.01 -WarningVariable w -WarningAction SilentlyContinue
        $above = @($fused | Where-Object Score -GT 1).Count
        $above | Should -BeGreaterThan 0
        $w.Count | Should -Be 1
        "$($w[0])" | Should -BeLike "$above fused scores are above 1*BoxAndModelAvg*AbsentModelAwareAvg*"
        $safe = $all | Merge-Detection -Weight 1, 1, 0.01 -ConfidenceType BoxAndModelAvg -WarningVariable w2
        $w2.Count | Should -Be 0
        ($safe.Score | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 1
    }

    It 'orders every method''s output by fused score within each image' -ForEach 'WBF', 'NMS', 'SoftNMS', 'NMW' {
        $fused = $all | Merge-Detection -Method $_
        foreach ($g in $fused | Group-Object ImageId) { $g.Group.Score | Should -Be ($g.Group.Score | Sort-Object -Descending) }
    }

    It 'gives byte-identical output with one thread and with all' {
        $dir = New-TestFolder
        $all | Merge-Detection -ThrottleLimit 1 | Export-Submission (Join-Path $dir 'one.json')
        $all | Merge-Detection | Export-Submission (Join-Path $dir 'all.json')
        (Get-FileHash (Join-Path $dir 'one.json')).Hash | Should -Be (Get-FileHash (Join-Path $dir 'all.json')).Hash
        Remove-Item $dir -Recurse
    }
}

Describe 'Options beyond ensemble-boxes' {
    It '-ClassAgnostic fuses across categories and takes the category with the highest score sum' {
        $boxes = (Box 'a' 0 0.8 1), (Box 'b' 2 0.4 2), (Box 'c' 1 0.5 2)
        ($boxes | Merge-Detection).Count | Should -Be 2
        $f = $boxes | Merge-Detection -ClassAgnostic
        @($f).Count | Should -Be 1
        $f.CategoryId | Should -Be 2
        $f.MergedCount | Should -Be 3
        $f.SourceModels | Should -Be 'a', 'b', 'c'
    }

    It '-MaxDetectionsPerImage keeps the N best per image' {
        $fused = $all | Merge-Detection -MaxDetectionsPerImage 5
        ($fused | Group-Object ImageId | ForEach-Object Count | Measure-Object -Maximum).Maximum | Should -Be 5
        $full = $all | Merge-Detection
        $first = $full[0].ImageId
        ($fused | Where-Object ImageId -EQ $first).Score | Should -Be (($full | Where-Object ImageId -EQ $first).Score | Select-Object -First 5)
    }

    It '-Voting <Rule> keeps boxes at least <Votes> models contributed to' -ForEach @(
        @{ Rule = 'Affirmative'; Votes = 1 }, @{ Rule = 'Consensus'; Votes = 2 }, @{ Rule = 'Unanimous'; Votes = 3 }) {
        $fused = $all | Merge-Detection -Voting $Rule
        $fused | Where-Object { $_.SourceModels.Count -lt $Votes } | Should -BeNullOrEmpty
        ($fused | Where-Object { $_.SourceModels.Count -eq $Votes }).Count | Should -BeGreaterThan 0
        ($all | Merge-Detection -MinVotes $Votes).Count | Should -Be $fused.Count
    }

    It 'refuses -MinVotes and -Voting together' {
        { $all | Merge-Detection -MinVotes 2 -Voting Consensus -ErrorAction Stop } | Should -Throw -ErrorId 'VotingConflict,BoxFusion.Commands.MergeDetectionCommand'
    }

    It 'says where each fused box came from' {
        $fused = $all | Merge-Detection
        $f = $fused | Where-Object MergedCount -GE 3 | Select-Object -First 1
        $f.SourceModels.Count | Should -BeGreaterThan 1
        $f.SourceModels | ForEach-Object { $_ | Should -BeIn 'model1', 'model2', 'model3' }
        ($fused | Measure-Object MergedCount -Sum).Sum | Should -Be $all.Count
    }
}
